package dev.switchboard.modeladapter.openai;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import io.smallrye.mutiny.Multi;
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
    Buffer payload = body.toBuffer();
    Multi<String> once = Multi.createFrom().emitter(emitter -> stream(path, payload, emitter));
    return withRetries(once);
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
      case UNKNOWN_MODEL, KEY_REJECTED, INVALID_REQUEST, BUSY, CIRCUIT_OPEN -> false;
    };
  }

  private void stream(String path, Buffer payload, MultiEmitter<? super String> emitter) {
    AtomicBoolean firstEvent = new AtomicBoolean(true);
    AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
    long firstByteTimer =
        vertx.setTimer(
            settings.firstByteTimeout().toMillis(),
            id -> {
              if (firstEvent.get()) {
                fail(
                    emitter,
                    ModelFailure.of(
                        Kind.TIMEOUT,
                        OpenAiErrors.BACKEND,
                        "no answer from the provider within " + settings.firstByteTimeout()),
                    inFlight);
              }
            });
    emitter.onTermination(
        () -> {
          vertx.cancelTimer(firstByteTimer);
          HttpClientRequest request = inFlight.get();
          if (request != null) {
            request.reset(); // the caller went away or we failed: free the connection
          }
        });
    client
        .request(options(path, "text/event-stream"))
        .onFailure(e -> fail(emitter, transportFailure(e, true), inFlight))
        .onSuccess(
            request -> {
              inFlight.set(request);
              request
                  .send(payload)
                  .onFailure(e -> fail(emitter, transportFailure(e, firstEvent.get()), inFlight))
                  .onSuccess(
                      response -> {
                        if (response.statusCode() != 200) {
                          failFromErrorResponse(response, emitter, inFlight);
                          return;
                        }
                        SseParser parser =
                            new SseParser(
                                MAX_SSE_LINE_BYTES,
                                data -> {
                                  if (firstEvent.compareAndSet(true, false)) {
                                    vertx.cancelTimer(firstByteTimer);
                                  }
                                  emitter.emit(data);
                                });
                        response.handler(
                            chunk -> {
                              if (!parser.feed(chunk.getBytes())) {
                                fail(
                                    emitter,
                                    failure(
                                        Kind.PROVIDER_FAILURE,
                                        "provider sent an over-long event line",
                                        firstEvent.get()),
                                    inFlight);
                              }
                            });
                        response.exceptionHandler(
                            e -> fail(emitter, transportFailure(e, firstEvent.get()), inFlight));
                        response.endHandler(
                            ignored -> {
                              inFlight.set(null);
                              emitter.complete();
                            });
                      });
            });
  }

  private RequestOptions options(String path, String accept) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(settings.baseUrl() + path)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.ACCEPT, accept)
            .setIdleTimeout(settings.idleTimeout().toMillis());
    if (!settings.apiKey().isEmpty()) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.apiKey());
    }
    return options;
  }

  private static void failFromErrorResponse(
      HttpClientResponse response,
      MultiEmitter<? super String> emitter,
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

  private static void fail(
      MultiEmitter<? super String> emitter,
      ModelFailure failure,
      AtomicReference<HttpClientRequest> inFlight) {
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
