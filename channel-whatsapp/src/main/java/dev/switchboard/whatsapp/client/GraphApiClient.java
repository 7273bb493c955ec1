package dev.switchboard.whatsapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the Cloud API ({@code POST /{version}/{phone_number_id}/messages} and media downloads) with
 * the bearer token of the number. Turns every answer, including transport failures, into a {@link
 * GraphResult}; it never throws.
 */
@ApplicationScoped
public class GraphApiClient {
  /**
   * Throttling and transient errors: 4 and 80007 (API call rate), 130429 (throughput), 131056 (pair
   * rate), 1/2/131000/131016 (unknown or unavailable service).
   */
  static final Set<Integer> RETRYABLE_CODES =
      Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056);

  private final HttpClient http;
  private final ObjectMapper json;
  private final String baseUrl;
  private final String apiVersion;
  private final Duration timeout;

  public GraphApiClient(ObjectMapper json, WhatsAppConfig config) {
    this.json = json;
    this.baseUrl = stripSlash(config.graphBaseUrl());
    this.apiVersion = config.apiVersion();
    this.timeout = config.outbound().requestTimeout();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** POSTs a messages-endpoint body (text, template, read receipt) for the given number. */
  public CompletableFuture<GraphResult> postMessage(PhoneNumber number, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(
          new GraphResult.Failed(0, 0, "body could not be written", false));
    }
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/" + apiVersion + "/" + number.phoneNumberId() + "/messages"))
            .timeout(timeout)
            .header("Authorization", "Bearer " + number.accessToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) ->
                error != null
                    ? new GraphResult.Failed(
                        0, 0, "Graph API not reached: " + error.getClass().getSimpleName(), true)
                    : interpret(response.statusCode(), response.body()));
  }

  /** Downloads a media object: look up its short-lived URL, then fetch it with the same token. */
  public CompletableFuture<MediaDownload> downloadMedia(
      PhoneNumber number, String mediaId, int maxBytes) {
    HttpRequest lookup =
        HttpRequest.newBuilder(URI.create(baseUrl + "/" + apiVersion + "/" + mediaId))
            .timeout(timeout)
            .header("Authorization", "Bearer " + number.accessToken())
            .GET()
            .build();
    return http.sendAsync(lookup, HttpResponse.BodyHandlers.ofByteArray())
        .thenCompose(
            response -> {
              if (response.statusCode() != 200) {
                throw new MediaException("media lookup answered " + response.statusCode());
              }
              JsonNode meta = readTree(response.body());
              String url = meta.path("url").asText("");
              if (url.isEmpty()) {
                throw new MediaException("media lookup returned no url");
              }
              String mime = meta.path("mime_type").asText("application/octet-stream");
              HttpRequest fetch =
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(timeout)
                      .header("Authorization", "Bearer " + number.accessToken())
                      .GET()
                      .build();
              return http.sendAsync(fetch, HttpResponse.BodyHandlers.ofByteArray())
                  .thenApply(
                      media -> {
                        if (media.statusCode() != 200) {
                          throw new MediaException("media download answered " + media.statusCode());
                        }
                        if (media.body().length > maxBytes) {
                          throw new MediaException("media larger than " + maxBytes + " bytes");
                        }
                        return new MediaDownload(mime, media.body());
                      });
            });
  }

  /** Downloaded media bytes. */
  public record MediaDownload(String mimeType, byte[] bytes) {}

  /** A media download that did not work. */
  public static final class MediaException extends RuntimeException {
    public MediaException(String message) {
      super(message);
    }
  }

  private GraphResult interpret(int status, byte[] body) {
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

  private JsonNode readTree(byte[] body) {
    try {
      JsonNode tree = json.readTree(body);
      return tree == null ? json.createObjectNode() : tree;
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
