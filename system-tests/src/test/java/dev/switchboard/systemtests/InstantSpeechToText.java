package dev.switchboard.systemtests;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A speech-to-text provider that answers at once, for benchmarks: {@code POST
 * /v1/audio/transcriptions} (OpenAI-compatible, the audio as multipart) reads the upload and
 * answers the documented {@code verbose_json} object with one fixed text. The JDK's small HTTP
 * server instead of WireMock, whose request matching, journal and scenario state cost milliseconds
 * per request under load, time the benchmark would otherwise count as the platform's.
 */
final class InstantSpeechToText implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  private InstantSpeechToText(HttpServer server) {
    this.server = server;
  }

  /**
   * The JDK server writes a response's headers and body as separate segments; with Nagle's
   * algorithm on, one answer in ten waited ~40 ms for the client's delayed ACK. The JDK reads this
   * once, when its server classes are first used in the JVM: call it before any JDK HTTP server
   * starts.
   */
  static void noDelay() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static InstantSpeechToText start(String text) throws IOException {
    noDelay();
    byte[] json = SpeechToTextStandIn.verboseJson(text).getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    InstantSpeechToText standIn = new InstantSpeechToText(server);
    server.createContext(
        SpeechToTextStandIn.PATH,
        exchange -> {
          try (InputStream upload = exchange.getRequestBody()) {
            upload.transferTo(OutputStream.nullOutputStream());
          }
          int status = "POST".equals(exchange.getRequestMethod()) ? 200 : 405;
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, status == 200 ? json.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (status == 200) {
              out.write(json);
            }
          }
        });
    server.setExecutor(standIn.threads);
    server.start();
    return standIn;
  }

  /** The base URL with the API version path, as {@code switchboard.model.openai.base-url}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
