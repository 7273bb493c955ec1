package dev.switchboard.modeladapter.tts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.modeladapter.audio.Pcm;
import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The local engines for real: FreeTTS, and libespeak-ng (required when CI=true). */
class LocalTtsTest {

  private static final String SENTENCE =
      "Hello, thanks for calling. How can I help you today?"; // ~3 s of speech
  private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stop() {
    WORKERS.shutdownNow();
  }

  private static SpeechPipeline pipeline(TtsBackend backend) {
    ModelMetrics metrics = new ModelMetrics(new SimpleMeterRegistry());
    return new SpeechPipeline(
        backend,
        new Guard(
            "tts",
            backend.name(),
            4,
            new CircuitBreaker(5, Duration.ofSeconds(30)),
            Duration.ofSeconds(30),
            metrics),
        metrics);
  }

  private static byte[] speak(TtsBackend backend, int rate) {
    List<PcmChunk> chunks =
        pipeline(backend)
            .synthesize(new SpeechRequest(SENTENCE, "en-US", "", rate))
            .collect()
            .asList()
            .await()
            .atMost(Duration.ofSeconds(60));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (PcmChunk chunk : chunks) {
      assertEquals(rate, chunk.sampleRateHz());
      all.writeBytes(chunk.pcm16le());
    }
    return all.toByteArray();
  }

  private static void assertPlausibleSpeech(byte[] pcm, int rate) {
    double seconds = pcm.length / 2.0 / rate;
    assertTrue(seconds > 1.5 && seconds < 8, "implausible length for one sentence: " + seconds);
    short[] samples = Pcm.fromLittleEndian(pcm, 0, pcm.length);
    double sumSquares = 0;
    for (short sample : samples) {
      sumSquares += (double) sample * sample;
    }
    double rms = Math.sqrt(sumSquares / samples.length);
    assertTrue(rms > 300, "audio is (nearly) silent: rms " + rms);
  }

  @Test
  void freeTtsSpeaksASentenceAtTelephoneRate() {
    byte[] pcm = speak(new FreeTtsBackend(1, WORKERS), 8_000);

    assertPlausibleSpeech(pcm, 8_000);
  }

  @Test
  void freeTtsSpeaksAtWidebandRates() {
    FreeTtsBackend backend = new FreeTtsBackend(1, WORKERS);
    byte[] native16k = speak(backend, 16_000);
    byte[] resampled24k = speak(backend, 24_000);

    assertPlausibleSpeech(native16k, 16_000);
    assertPlausibleSpeech(resampled24k, 24_000);
    // Same speech, same duration, whatever the rate.
    assertEquals(native16k.length / 2 / 16_000.0, resampled24k.length / 2 / 24_000.0, 0.01);
  }

  @Test
  void espeakNgSpeaksWhenInstalled() {
    var espeak = EspeakNgBackend.load(WORKERS, "en-us");
    if (espeak.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("libespeak-ng is required under CI: apt-get install libespeak-ng1");
      }
      Assumptions.abort("libespeak-ng not installed (apt-get install libespeak-ng1)");
    }

    assertPlausibleSpeech(speak(espeak.get(), 8_000), 8_000);
  }
}
