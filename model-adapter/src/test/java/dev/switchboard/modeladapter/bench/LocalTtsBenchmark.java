package dev.switchboard.modeladapter.bench;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.Guard;
import dev.switchboard.modeladapter.tts.EspeakNgBackend;
import dev.switchboard.modeladapter.tts.FreeTtsBackend;
import dev.switchboard.modeladapter.tts.SpeechPipeline;
import dev.switchboard.modeladapter.tts.SpeechRequest;
import dev.switchboard.modeladapter.tts.TtsBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Local TTS time to first audio (request to first resampled 8 kHz chunk) for one typical reply
 * sentence, sequentially. Run with {@code -Dtest=LocalTtsBenchmark}.
 */
class LocalTtsBenchmark {

  private static final String SENTENCE =
      "Sure, your appointment is confirmed for Tuesday at ten in the morning.";
  private static final int WARMUP = 10;
  private static final int RUNS = 50;

  @Test
  void measure() {
    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      report("freetts", new FreeTtsBackend(1, workers));
      EspeakNgBackend.load(workers, "en-us").ifPresent(espeak -> report("espeak_ng", espeak));
    } finally {
      workers.shutdownNow();
    }
  }

  private static void report(String label, TtsBackend backend) {
    ModelMetrics metrics = new ModelMetrics(new SimpleMeterRegistry());
    SpeechPipeline pipeline =
        new SpeechPipeline(
            backend,
            new Guard(
                "tts",
                backend.name(),
                4,
                new CircuitBreaker(5, Duration.ofSeconds(30)),
                Duration.ofSeconds(30),
                metrics),
            metrics);
    List<Double> firstAudio = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    double audioSeconds = 0;
    for (int i = 0; i < WARMUP + RUNS; i++) {
      long start = System.nanoTime();
      CompletableFuture<Double> first = new CompletableFuture<>();
      var chunks =
          pipeline
              .synthesize(new SpeechRequest(SENTENCE, "en-US", "", 8_000))
              .onItem()
              .invoke(chunk -> first.complete((System.nanoTime() - start) / 1e6))
              .collect()
              .asList()
              .await()
              .atMost(Duration.ofSeconds(30));
      audioSeconds = chunks.stream().mapToDouble(chunk -> chunk.seconds()).sum();
      if (i >= WARMUP) {
        firstAudio.add(first.join());
        whole.add((System.nanoTime() - start) / 1e6);
      }
    }
    System.out.printf("%s: %.2f s of 8 kHz audio per sentence%n", label, audioSeconds);
    System.out.printf(
        "metric: model.tts_%s_first_audio_p50 = %.1f ms%n", label, percentile(firstAudio, 50));
    System.out.printf(
        "metric: model.tts_%s_first_audio_p95 = %.1f ms%n", label, percentile(firstAudio, 95));
    System.out.printf(
        "metric: model.tts_%s_whole_sentence_p50 = %.1f ms%n", label, percentile(whole, 50));
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
