package dev.switchboard.whatsapp.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A cheap stand-in for Meta's Graph API, for the throughput benchmark only: one Vert.x event loop
 * answering {@code POST /v23.0/{phone_number_id}/messages} the way the Cloud API documents it.
 * WireMock (the {@link GraphApiStandIn} of the functional tests) records and templates every
 * request and cost more CPU per read receipt than the webhook itself, on the same two cores.
 *
 * <p>Answers, by request body:
 *
 * <ul>
 *   <li>{@code {"messaging_product":"whatsapp","status":"read","message_id":"<wamid>",
 *       "typing_indicator":{"type":"text"}}} (read receipt + typing indicator) → 200 {@code
 *       {"success":true}}; the wamid is remembered so the benchmark can check that every accepted
 *       message was marked read.
 *   <li>any other message body (text, template) → 200 {@code
 *       {"messaging_product":"whatsapp","contacts":[{"input":"<to>","wa_id":"<to>"}],
 *       "messages":[{"id":"wamid.OUT-<uuid>"}]}}.
 *   <li>no {@code Authorization: Bearer …} header → 401 with a Graph error body (code 190); a body
 *       that is not JSON → 400 (code 100); any other path → 404.
 * </ul>
 */
public class LightGraphApiStandIn implements QuarkusTestResourceLifecycleManager {
  private static final Pattern MESSAGES_PATH = Pattern.compile("/v23\\.0/[0-9]+/messages");

  private static final String MESSAGE_ID = "\"message_id\":\"";

  private static final Set<String> READ = ConcurrentHashMap.newKeySet();
  private static final AtomicLong SENDS = new AtomicLong();
  private static final AtomicLong REJECTED = new AtomicLong();

  private Vertx vertx;

  /** Wamids marked read so far. */
  public static Set<String> readWamids() {
    return READ;
  }

  /** Text or template sends answered so far. */
  public static long sends() {
    return SENDS.get();
  }

  /** Calls answered with an error (no token, bad body, unknown path). */
  public static long rejected() {
    return REJECTED.get();
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(LightGraphApiStandIn::handle)
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      return Map.of(
          "switchboard.whatsapp.graph-base-url", "http://127.0.0.1:" + server.actualPort());
    } catch (Exception e) {
      throw new IllegalStateException("Graph API stand-in did not start", e);
    }
  }

  private static void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              if (!"POST".equals(request.method().name())
                  || !MESSAGES_PATH.matcher(request.path()).matches()) {
                answer(request, 404, error(803, "Unknown path"));
                return;
              }
              String auth = request.getHeader("Authorization");
              if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
                answer(request, 401, error(190, "Invalid OAuth access token"));
                return;
              }
              String text = body.toString(StandardCharsets.UTF_8);
              String readId = readReceiptId(text);
              if (readId != null) {
                READ.add(readId);
                answer(request, 200, "{\"success\":true}");
                return;
              }
              JsonObject message;
              try {
                message = new JsonObject(text);
              } catch (RuntimeException e) {
                answer(request, 400, error(100, "Invalid parameter"));
                return;
              }
              SENDS.incrementAndGet();
              String to = message.getString("to", "");
              answer(
                  request,
                  200,
                  "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\""
                      + to
                      + "\",\"wa_id\":\""
                      + to
                      + "\"}],\"messages\":[{\"id\":\"wamid.OUT-"
                      + UUID.randomUUID()
                      + "\"}]}");
            });
  }

  /**
   * The wamid of a read receipt, found by scanning the body our client writes (the receipt is one
   * call per accepted webhook, so the stand-in must be cheap); null for anything else.
   */
  private static String readReceiptId(String body) {
    if (!body.contains("\"status\":\"read\"")) {
      return null;
    }
    int start = body.indexOf(MESSAGE_ID);
    int end = start < 0 ? -1 : body.indexOf('"', start + MESSAGE_ID.length());
    return end < 0 ? null : body.substring(start + MESSAGE_ID.length(), end);
  }

  private static String error(int code, String message) {
    REJECTED.incrementAndGet();
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\"OAuthException\",\"code\":"
        + code
        + ",\"fbtrace_id\":\"stand-in\"}}";
  }

  private static void answer(HttpServerRequest request, int status, String json) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(json);
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }
}
