package dev.switchboard.modeladapter.metrics;

import dev.switchboard.modeladapter.error.ModelFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * The gateway's per-backend meters. Names (Prometheus form): {@code
 * switchboard_model_first_output_seconds} (time to first token or audio), {@code
 * switchboard_model_request_seconds} (whole request, by outcome), {@code
 * switchboard_model_errors_total} (by kind), {@code switchboard_model_tokens_total} (by direction),
 * {@code switchboard_model_audio_seconds_total}, {@code switchboard_model_fallbacks_total}. Every
 * meter is tagged with {@code capability} (chat, tts, stt, moderation) and {@code backend}.
 */
public final class ModelMetrics {

  private final MeterRegistry registry;

  public ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void firstOutput(String capability, String backend, Duration elapsed) {
    Timer.builder("switchboard.model.first.output")
        .description("Time from request to the first token or audio chunk")
        .tags("capability", capability, "backend", backend)
        .publishPercentiles(0.5, 0.95, 0.99)
        .register(registry)
        .record(elapsed);
  }

  public void request(String capability, String backend, String outcome, Duration elapsed) {
    Timer.builder("switchboard.model.request")
        .description("Whole request duration")
        .tags("capability", capability, "backend", backend, "outcome", outcome)
        .register(registry)
        .record(elapsed);
  }

  public void error(String capability, String backend, Throwable failure) {
    String kind =
        failure instanceof ModelFailure model
            ? model.kind().name().toLowerCase(Locale.ROOT)
            : "internal";
    Counter.builder("switchboard.model.errors")
        .description("Backend failures by kind")
        .tags("capability", capability, "backend", backend, "kind", kind)
        .register(registry)
        .increment();
  }

  public void tokens(String backend, int input, int output) {
    tokenCounter(backend, "in").increment(Math.max(0, input));
    tokenCounter(backend, "out").increment(Math.max(0, output));
  }

  private Counter tokenCounter(String backend, String direction) {
    return Counter.builder("switchboard.model.tokens")
        .description("Tokens consumed, as reported by the backend")
        .tags("capability", "chat", "backend", backend, "direction", direction)
        .register(registry);
  }

  public void audioSeconds(String capability, String backend, double seconds) {
    Counter.builder("switchboard.model.audio.seconds")
        .description("Seconds of audio synthesized or transcribed")
        .tags("capability", capability, "backend", backend)
        .register(registry)
        .increment(seconds);
  }

  public void fallback(String capability, String from, String to) {
    Counter.builder("switchboard.model.fallbacks")
        .description("Requests answered by a fallback backend")
        .tags("capability", capability, "backend", from, "fallback", to)
        .register(registry)
        .increment();
  }
}
