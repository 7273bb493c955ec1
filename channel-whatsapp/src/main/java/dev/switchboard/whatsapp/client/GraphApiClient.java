package dev.switchboard.whatsapp.client;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls the Cloud API ({@code POST /{version}/{phone_number_id}/messages} and media downloads) with
 * the bearer token of the number. Turns every answer, including transport failures, into a {@link
 * GraphResult}; it never throws.
 *
 * <p>Uses the service's Vert.x HTTP client: the I/O runs on the event loops and costs no thread per
 * call. (The JDK {@code java.net.http.HttpClient} hands every async response to {@code
 * CompletableFuture}'s default executor, which on a machine with two cores or fewer is a new thread
 * per task: one thread per read receipt, measured at 500 threads/s under webhook load.)
 */
@ApplicationScoped
public class GraphApiClient {
  /**
   * Throttling and transient errors: 4 and 80007 (API call rate), 130429 (throughput), 131056 (pair
   * rate), 1/2/131000/131016 (unknown or unavailable service).
   */
  static final Set<Integer> RETRYABLE_CODES =
      Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056);

  /** A read receipt with typing indicator, around the JSON-quoted wamid. */
  private static final byte[] READ_PREFIX =
      "{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":\""
          .getBytes(StandardCharsets.UTF_8);

  private static final byte[] READ_SUFFIX =
      "\",\"typing_indicator\":{\"type\":\"text\"}}".getBytes(StandardCharsets.UTF_8);

  private final HttpClient http;
  private final ObjectMapper json;
  private final String baseUrl;
  private final String apiVersion;
  private final long timeoutMillis;

  public GraphApiClient(Vertx vertx, ObjectMapper json, WhatsAppConfig config) {
    this.json = json;
    this.baseUrl = stripSlash(config.graphBaseUrl());
    this.apiVersion = config.apiVersion();
    this.timeoutMillis = config.outbound().requestTimeout().toMillis();
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setKeepAlive(true)
                .setMaxPoolSize(config.outbound().maxConnections())
                .setVerifyHost(true)
                .setForceSni(true)
                .setDecompressionSupported(true));
  }

  /** POSTs a messages-endpoint body (text, template) for the given number. */
  public CompletableFuture<GraphResult> postMessage(PhoneNumber number, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          new GraphResult.Failed(0, 0, "body could not be written", false));
    }
    return post(number, bytes, true);
  }

  /**
   * Marks a received message read and shows the typing indicator (one call). Sent for every
   * accepted message, so the body is written directly and a successful answer ({@code
   * {"success":true}}) is not parsed.
   */
  public CompletableFuture<GraphResult> markRead(PhoneNumber number, String wamid) {
    byte[] id = JsonStringEncoder.getInstance().quoteAsUTF8(wamid);
    Buffer body =
        Buffer.buffer(READ_PREFIX.length + id.length + READ_SUFFIX.length)
            .appendBytes(READ_PREFIX)
            .appendBytes(id)
            .appendBytes(READ_SUFFIX);
    return post(number, body.getBytes(), false);
  }

  private CompletableFuture<GraphResult> post(
      PhoneNumber number, byte[] bytes, boolean wantMessageId) {
    RequestOptions request =
        options(
                HttpMethod.POST,
                baseUrl + "/" + apiVersion + "/" + number.phoneNumberId() + "/messages",
                number)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return http.request(request)
        .compose(call -> call.send(Buffer.buffer(bytes)))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        b ->
                            !wantMessageId && response.statusCode() / 100 == 2
                                ? new GraphResult.Ok("")
                                : interpret(response.statusCode(), b)))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .otherwise(
            error ->
                new GraphResult.Failed(
                    0, 0, "Graph API not reached: " + error.getClass().getSimpleName(), true))
        .toCompletionStage()
        .toCompletableFuture();
  }

  /** Downloads a media object: look up its short-lived URL, then fetch it with the same token. */
  public CompletableFuture<MediaDownload> downloadMedia(
      PhoneNumber number, String mediaId, int maxBytes) {
    return http.request(options(HttpMethod.GET, baseUrl + "/" + apiVersion + "/" + mediaId, number))
        .compose(call -> call.send())
        .compose(response -> bodyOf(response, "media lookup", Integer.MAX_VALUE))
        .compose(
            lookup -> {
              JsonNode meta = readTree(lookup);
              String url = meta.path("url").asText("");
              if (url.isEmpty()) {
                return Future.failedFuture(new MediaException("media lookup returned no url"));
              }
              String mime = meta.path("mime_type").asText("application/octet-stream");
              return http.request(options(HttpMethod.GET, url, number))
                  .compose(call -> call.send())
                  .compose(response -> bodyOf(response, "media download", maxBytes))
                  .map(media -> new MediaDownload(mime, media.getBytes()));
            })
        .timeout(2 * timeoutMillis, TimeUnit.MILLISECONDS)
        .toCompletionStage()
        .toCompletableFuture();
  }

  /** Downloaded media bytes. */
  public record MediaDownload(String mimeType, byte[] bytes) {}

  /** A media download that did not work. */
  public static final class MediaException extends RuntimeException {
    public MediaException(String message) {
      super(message);
    }
  }

  private RequestOptions options(HttpMethod method, String absoluteUrl, PhoneNumber number) {
    return new RequestOptions()
        .setMethod(method)
        .setAbsoluteURI(absoluteUrl)
        .setIdleTimeout(timeoutMillis)
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + number.accessToken());
  }

  private static Future<Buffer> bodyOf(HttpClientResponse response, String what, int maxBytes) {
    if (response.statusCode() != 200) {
      return response
          .body()
          .transform(
              ignored ->
                  Future.failedFuture(
                      new MediaException(what + " answered " + response.statusCode())));
    }
    String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && parseLong(declared) > maxBytes) {
      response.request().reset();
      return Future.failedFuture(new MediaException("media larger than " + maxBytes + " bytes"));
    }
    return response
        .body()
        .compose(
            body ->
                body.length() > maxBytes
                    ? Future.failedFuture(
                        new MediaException("media larger than " + maxBytes + " bytes"))
                    : Future.succeededFuture(body));
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private GraphResult interpret(int status, Buffer body) {
    JsonNode tree = readTree(body);
    if (status >= 200 && status < 300) {
      return new GraphResult.Ok(tree.path("messages").path(0).path("id").asText(""));
    }
    JsonNode error = tree.path("error");
    int code = error.path("code").asInt(0);
    String title = error.path("message").asText("HTTP " + status);
    boolean retryable = status == 429 || status >= 500 || RETRYABLE_CODES.contains(code);
    return new GraphResult.Failed(status, code, title, retryable);
  }

  private JsonNode readTree(Buffer body) {
    try {
      JsonNode tree = json.readTree(body.getBytes());
      return tree == null ? json.createObjectNode() : tree;
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  void close(@Observes ShutdownEvent shutdown) {
    http.close();
  }
}
