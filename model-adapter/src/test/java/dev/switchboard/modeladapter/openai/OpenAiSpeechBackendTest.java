package dev.switchboard.modeladapter.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.modeladapter.audio.Pcm;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import dev.switchboard.modeladapter.tts.FreeTtsBackend;
import dev.switchboard.modeladapter.tts.OpenAiSpeechBackend;
import dev.switchboard.modeladapter.tts.PcmChunk;
import dev.switchboard.modeladapter.tts.SpeechPipeline;
import dev.switchboard.modeladapter.tts.SpeechRequest;
import dev.switchboard.modeladapter.tts.SpeechService;
import dev.switchboard.modeladapter.tts.TtsBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** openai /audio/speech against WireMock serving raw 24 kHz PCM, as the API documents for "pcm". */
class OpenAiSpeechBackendTest {

  private static final String PATH = "/v1/audio/speech";
  private static WireMockServer provider;
  private static Vertx vertx;
  private static OpenAiHttp http;
  private static final ExecutorService WORKERS = Executors.newSingleThreadExecutor();
  private static final ModelMetrics METRICS = new ModelMetrics(new SimpleMeterRegistry());

  @BeforeAll
  static void start() {
    provider = new WireMockServer(wireMockConfig().dynamicPort());
    provider.start();
    vertx = Vertx.vertx();
    http =
        new OpenAiHttp(
            vertx,
            new OpenAiSettings(
                provider.baseUrl() + "/v1",
                "sk-test",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                0,
                Duration.ofMillis(10),
                8));
  }

  @AfterAll
  static void stop() {
    http.close();
    provider.stop();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    WORKERS.shutdownNow();
  }

  @AfterEach
  void reset() {
    provider.resetAll();
  }

  private static SpeechPipeline pipeline(TtsBackend backend) {
    return new SpeechPipeline(
        backend,
        new Guard(
            "tts",
            backend.name(),
            4,
            new CircuitBreaker(5, Duration.ofSeconds(30)),
            Duration.ofSeconds(30),
            METRICS),
        METRICS);
  }

  private static byte[] collect(List<PcmChunk> chunks) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(chunk -> all.writeBytes(chunk.pcm16le()));
    return all.toByteArray();
  }

  @Test
  void streamedPcmIsResampledToTheRequestedRate() {
    short[] oneSecondAt24k = new short[24_000];
    for (int i = 0; i < oneSecondAt24k.length; i++) {
      oneSecondAt24k[i] = (short) (8_000 * Math.sin(2 * Math.PI * 300 * i / 24_000.0));
    }
    provider.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "audio/pcm")
                    .withBody(Pcm.toLittleEndian(oneSecondAt24k))
                    .withChunkedDribbleDelay(7, 200))); // odd splits cut samples in half

    List<PcmChunk> chunks =
        pipeline(new OpenAiSpeechBackend(http, "gpt-4o-mini-tts", "alloy"))
            .synthesize(new SpeechRequest("Hello there", "en", "", 8_000))
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(10));

    byte[] pcm = collect(chunks);
    assertEquals(8_000 * 2, pcm.length);
    provider.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withRequestBody(matchingJsonPath("$.response_format", equalTo("pcm")))
            .withRequestBody(matchingJsonPath("$.voice", equalTo("alloy")))
            .withRequestBody(matchingJsonPath("$.input", equalTo("Hello there"))));
  }

  @Test
  void providerOutageFallsBackToLocalSpeech() {
    provider.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
    SpeechService service =
        new SpeechService(
            pipeline(new OpenAiSpeechBackend(http, "gpt-4o-mini-tts", "alloy")),
            pipeline(new FreeTtsBackend(1, WORKERS)));

    List<PcmChunk> chunks =
        service
            .synthesize(new SpeechRequest("Sorry, one moment please.", "en", "", 8_000))
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(30));

    double seconds = collect(chunks).length / 2.0 / 8_000;
    org.junit.jupiter.api.Assertions.assertTrue(seconds > 0.8, "no local speech: " + seconds);
  }
}
