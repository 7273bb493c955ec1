package dev.switchboard.systemtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A speech provider that answers at once, for benchmarks, at the OpenAI-compatible HTTP boundary:
 *
 * <ul>
 *   <li>{@code POST /v1/audio/transcriptions} (the audio as multipart) reads the upload and answers
 *       the documented {@code verbose_json} object with one fixed text;
 *   <li>{@code POST /v1/audio/speech} with {@code response_format: "pcm"} answers raw 24 kHz 16-bit
 *       little-endian mono samples, as the provider documents them: recorded speech (a fixture,
 *       looped) lasting {@value #MILLIS_PER_CHARACTER} ms per character of the input, about a
 *       person's speaking rate. The synthesis is the provider's work, not the platform's, so it
 *       costs this stand-in nothing but a copy.
 * </ul>
 *
 * <p>The JDK's small HTTP server instead of WireMock, whose request matching, journal and scenario
 * state cost milliseconds per request under load, time the benchmark would otherwise count as the
 * platform's.
 */
final class InstantSpeechProvider implements AutoCloseable {
  static final int MILLIS_PER_CHARACTER = 60;
  private static final int SPEECH_RATE = 24_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final short[] voice;
  private final Map<Integer, byte[]> speechByLength = new ConcurrentHashMap<>();

  private InstantSpeechProvider(HttpServer server, short[] voice) {
    this.server = server;
    this.voice = voice;
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

  /**
   * @param transcript what every transcription answers
   * @param voiceWav an 8 kHz WAV resource whose speech the synthesized audio repeats
   */
  static InstantSpeechProvider start(String transcript, String voiceWav) throws Exception {
    noDelay();
    byte[] json = SpeechToTextStandIn.verboseJson(transcript).getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    InstantSpeechProvider provider =
        new InstantSpeechProvider(server, upsampleBy3(CallerMedia.readWav(voiceWav)));
    server.createContext(
        SpeechToTextStandIn.PATH,
        exchange -> {
          try (InputStream upload = exchange.getRequestBody()) {
            upload.transferTo(OutputStream.nullOutputStream());
          }
          respond(exchange, "application/json", json);
        });
    server.createContext(
        "/v1/audio/speech",
        exchange -> {
          String input;
          try (InputStream body = exchange.getRequestBody()) {
            input = JSON.readTree(body).path("input").asText("");
          }
          respond(exchange, "audio/pcm", provider.speechFor(input));
        });
    server.setExecutor(provider.threads);
    server.start();
    return provider;
  }

  /** The base URL with the API version path, as {@code switchboard.model.openai.base-url}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private byte[] speechFor(String text) {
    return speechByLength.computeIfAbsent(
        text.length(),
        characters -> {
          int samples = characters * MILLIS_PER_CHARACTER * SPEECH_RATE / 1000;
          ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < samples; i++) {
            pcm.putShort(voice[i % voice.length]);
          }
          return pcm.array();
        });
  }

  private static void respond(HttpExchange exchange, String contentType, byte[] body)
      throws IOException {
    int status = "POST".equals(exchange.getRequestMethod()) ? 200 : 405;
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
    try (OutputStream out = exchange.getResponseBody()) {
      if (status == 200) {
        out.write(body);
      }
    }
  }

  /** 8 kHz to the provider's 24 kHz by repeating samples (the platform low-passes it back). */
  private static short[] upsampleBy3(short[] pcm8k) {
    short[] out = new short[pcm8k.length * 3];
    for (int i = 0; i < out.length; i++) {
      out[i] = pcm8k[i / 3];
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
