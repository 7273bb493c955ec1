package dev.switchboard.modeladapter.bench;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;

/**
 * A fast stand-in for an OpenAI-compatible provider for benchmarks: answers every POST
 * /v1/chat/completions with the documented SSE chunks, the first one (with content) at once, the
 * rest every {@code bench.token-interval-ms} (default 20) ms until {@code bench.tokens} (default
 * 10) have been sent. Runs on its own Vert.x instance.
 */
public class SseStandIn implements QuarkusTestResourceLifecycleManager {

  static final int TOKENS = Integer.getInteger("bench.tokens", 10);
  static final int TOKEN_INTERVAL_MS = Integer.getInteger("bench.token-interval-ms", 20);
  private static Vertx vertx;
  private static HttpServer server;

  static int port() {
    return server.actualPort();
  }

  static String chunk(String content, String finish) {
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
        + "\"choices\":[{\"index\":0,\"delta\":{"
        + (content == null ? "" : "\"content\":\"" + content + "\"")
        + "},\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}\n\n";
  }

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body(
                        ignoredBody -> {
                          var response = request.response();
                          response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                          response.write(chunk("Hello", null));
                          int[] sent = {1};
                          vertx.setPeriodic(
                              TOKEN_INTERVAL_MS,
                              timer -> {
                                if (sent[0]++ < TOKENS) {
                                  response.write(chunk(" word", null));
                                } else {
                                  vertx.cancelTimer(timer);
                                  response.write(chunk(null, "stop"));
                                  response.end("data: [DONE]\n\n");
                                }
                              });
                        }))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    return Map.of(
        "switchboard.model.openai.base-url",
        "http://127.0.0.1:" + server.actualPort() + "/v1",
        "switchboard.model.openai.api-key",
        "sk-bench");
  }

  @Override
  public void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
