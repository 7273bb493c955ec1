package dev.switchboard.modeladapter.openai;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small non-blocking HTTP client for OpenAI-compatible endpoints on the Vert.x event loop, so
 * hundreds of concurrent streams need no thread each. It streams server-sent events, retries
 * failures that happened before the first byte (with jittered back-off) and classifies errors.
 */
public final class OpenAiHttp implements AutoCloseable {

  private static final int MAX_SSE_LINE_BYTES = 1 << 20;
  private static final int MAX_ERROR_BODY_CHARS = 8_192;

  private final Vertx vertx;
  private final HttpClient client;
  private final OpenAiSettings settings;

  public OpenAiHttp(Vertx vertx, OpenAiSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.client =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setTrustAll(false)
                .setVerifyHost(true),
            new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
  }

  public OpenAiSettings settings() {
    return settings;
  }

  /**
   * POSTs {@code body} to {@code path} and streams the {@code data} payload of every server-sent
   * event. Failures before the first event are retried up to {@code maxRetries} times.
   */
  public Multi<String> streamEvents(String path, JsonObject body) {
    return withRetries(
        stream(
            path,
            "application/json",
            "text/event-stream",
            body.toBuffer(),
            sink -> {
              SseParser parser = new SseParser(MAX_SSE_LINE_BYTES, sink);
              return chunk -> parser.feed(chunk.getBytes());
            }));
  }

  /** POSTs JSON and streams the raw response body (e.g. PCM audio) as it arrives. */
  public Multi<Buffer> streamBytes(String path, JsonObject body, String accept) {
    return withRetries(
        stream(
            path,
            "application/json",
            accept,
            body.toBuffer(),
            sink ->
                chunk -> {
                  sink.accept(chunk);
                  return true;
                }));
  }

  /** POSTs a body and returns the whole response body; retried like the streams. */
  public Uni<Buffer> post(String path, String contentType, Buffer body) {
    Multi<Buffer> chunks =
        stream(
            path,
            contentType,
            "application/json",
            body,
            sink ->
                chunk -> {
                  sink.accept(chunk);
                  return true;
                });
    return withRetries(chunks).collect().in(Buffer::buffer, Buffer::appendBuffer);
  }

  /** POSTs JSON and parses the JSON response. */
  public Uni<JsonObject> postJson(String path, JsonObject body) {
    return post(path, "application/json", body.toBuffer())
        .map(
            buffer -> {
              try {
                return buffer.toJsonObject();
              } catch (RuntimeException e) {
                throw failure(Kind.PROVIDER_FAILURE, "provider sent unreadable JSON", false);
              }
            });
  }

  /** Turns response chunks into items for {@code sink}; false means the stream is unusable. */
  @FunctionalInterface
  interface ChunkDecoder {
    boolean feed(Buffer chunk);
  }

  <T> Multi<T> withRetries(Multi<T> once) {
    if (settings.maxRetries() <= 0) {
      return once;
    }
    return once.onFailure(OpenAiHttp::retryable)
        .retry()
        .withBackOff(settings.retryBackoff(), settings.retryBackoff().multipliedBy(10))
        .withJitter(0.5)
        .atMost(settings.maxRetries());
  }

  /** Worth trying again: nothing reached the caller yet and the provider may well recover. */
  static boolean retryable(Throwable failure) {
    if (!(failure instanceof ModelFailure model) || !model.beforeFirstByte()) {
      return false;
    }
    return switch (model.kind()) {
      case PROVIDER_FAILURE, TIMEOUT -> true;
      // A short retry-after is worth waiting for; a long one is the caller's decision.
      case QUOTA ->
          model.retryAfter().map(wait -> wait.compareTo(Duration.ofSeconds(2)) <= 0).orElse(true);
      case UNKNOWN_MODEL, KEY_REJECTED, INVALID_REQUEST, NOT_CONFIGURED, BUSY, CIRCUIT_OPEN ->
          false;
    };
  }

  private <T> Multi<T> stream(
      String path,
      String contentType,
      String accept,
      Buffer payload,
      Function<Consumer<T>, ChunkDecoder> decoders) {
    return Multi.createFrom()
        .emitter(emitter -> stream(path, contentType, accept, payload, decoders, emitter));
  }

  private <T> void stream(
      String path,
      String contentType,
      String accept,
      Buffer payload,
      Function<Consumer<T>, ChunkDecoder> decoders,
      MultiEmitter<? super T> emitter) {
    AtomicBoolean firstItem = new AtomicBoolean(true);
    AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
    long firstByteTimer =
        vertx.setTimer(
            settings.firstByteTimeout().toMillis(),
            id -> {
              if (firstItem.get()) {
                fail(
                    emitter,
                    ModelFailure.of(
                        Kind.TIMEOUT,
                        OpenAiErrors.BACKEND,
                        "no answer from the provider within " + settings.firstByteTimeout()));
              }
            });
    emitter.onTermination(
        () -> {
          vertx.cancelTimer(firstByteTimer);
          HttpClientRequest request = inFlight.getAndSet(null);
          if (request != null) {
            request.reset(); // the caller went away or we failed: free the connection
          }
        });
    client
        .request(options(path, contentType, accept))
        .onFailure(e -> fail(emitter, transportFailure(e, true)))
        .onSuccess(
            request -> {
              inFlight.set(request);
              request
                  .send(payload)
                  .onFailure(e -> fail(emitter, transportFailure(e, firstItem.get())))
                  .onSuccess(
                      response -> {
                        if (response.statusCode() / 100 != 2) {
                          failFromErrorResponse(response, emitter, inFlight);
                          return;
                        }
                        ChunkDecoder decoder =
                            decoders.apply(
                                item -> {
                                  if (firstItem.compareAndSet(true, false)) {
                                    vertx.cancelTimer(firstByteTimer);
                                  }
                                  emitter.emit(item);
                                });
                        response.handler(
                            chunk -> {
                              if (!decoder.feed(chunk)) {
                                fail(
                                    emitter,
                                    failure(
                                        Kind.PROVIDER_FAILURE,
                                        "provider sent an over-long event line",
                                        firstItem.get()));
                              }
                            });
                        response.exceptionHandler(
                            e -> fail(emitter, transportFailure(e, firstItem.get())));
                        response.endHandler(
                            ignored -> {
                              inFlight.set(null);
                              emitter.complete();
                            });
                      });
            });
  }

  private RequestOptions options(String path, String contentType, String accept) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(settings.baseUrl() + path)
            .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
            .putHeader(HttpHeaders.ACCEPT, accept)
            .setIdleTimeout(settings.idleTimeout().toMillis());
    if (!settings.apiKey().isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey());
    }
    return options;
  }

  private static void failFromErrorResponse(
      HttpClientResponse response,
      MultiEmitter<?> emitter,
      AtomicReference<HttpClientRequest> inFlight) {
    response
        .body()
        .onComplete(
            body -> {
              String text = body.succeeded() ? body.result().toString() : "";
              if (text.length() > MAX_ERROR_BODY_CHARS) {
                text = text.substring(0, MAX_ERROR_BODY_CHARS);
              }
              inFlight.set(null);
              emitter.fail(OpenAiErrors.fromHttp(response.statusCode(), response.headers(), text));
            });
  }

  private static void fail(MultiEmitter<?> emitter, ModelFailure failure) {
    if (!emitter.isCancelled()) {
      emitter.fail(failure);
    }
  }

  static ModelFailure transportFailure(Throwable cause, boolean beforeFirstByte) {
    if (cause instanceof ModelFailure model) {
      return model;
    }
    if (cause instanceof TimeoutException) {
      return failure(
          Kind.TIMEOUT, "the provider stopped sending: " + cause.getMessage(), beforeFirstByte);
    }
    if (cause instanceof ConnectException) {
      return failure(
          Kind.PROVIDER_FAILURE,
          "cannot connect to the provider: " + cause.getMessage(),
          beforeFirstByte);
    }
    return failure(
        Kind.PROVIDER_FAILURE,
        "connection to the provider failed"
            + (beforeFirstByte ? "" : " mid-stream")
            + ": "
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : " " + cause.getMessage()),
        beforeFirstByte);
  }

  static ModelFailure failure(Kind kind, String message, boolean beforeFirstByte) {
    return new ModelFailure(kind, OpenAiErrors.BACKEND, message, null, beforeFirstByte);
  }

  @Override
  public void close() {
    client.close();
  }
}
