package dev.switchboard.modeladapter.metrics;

import dev.switchboard.modeladapter.error.ModelFailure;
import dev.switchboard.modeladapter.resilience.CircuitBreaker;
import dev.switchboard.modeladapter.resilience.CircuitBreaker.State;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's per-backend meters. Names (Prometheus form): {@code
 * switchboard_model_first_output_seconds} (time to first token or audio), {@code
 * switchboard_model_request_seconds} (whole request, by outcome), {@code
 * switchboard_model_errors_total} (by kind), {@code switchboard_model_tokens_total} (by direction),
 * {@code switchboard_model_audio_seconds_total}, {@code switchboard_model_fallbacks_total}, {@code
 * switchboard_model_circuit_open} (gauge per guarded backend). Every meter is tagged with {@code
 * capability} (chat, tts, stt, moderation) and {@code backend}.
 */
public final class ModelMetrics {
  /** How a request ended: {@code ok}, {@code error}, or {@code cancelled} by the caller. */
  private static final List<String> OUTCOMES = List.of("ok", "error", "cancelled");

  /** The error kind of a failure that is not a {@link ModelFailure}. */
  private static final String INTERNAL = "internal";

  private final MeterRegistry registry;

  public ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Registers a guarded backend's meters before its first call: the circuit state as a gauge
   * ({@code switchboard_model_circuit_open}, 1 unless closed) and the latency, request and error
   * series at zero, so alerts on their rates see the first failure and not only the second.
   */
  public void register(String capability, String backend, CircuitBreaker breaker) {
    Gauge.builder("switchboard.model.circuit.open", breaker, b -> b.state() == State.CLOSED ? 0 : 1)
        .description("1 while the circuit breaker refuses calls or tries one, 0 while closed")
        .tags("capability", capability, "backend", backend)
        .strongReference(true)
        .register(registry);
    firstOutputTimer(capability, backend);
    for (String outcome : OUTCOMES) {
      requestTimer(capability, backend, outcome);
    }
    for (ModelFailure.Kind kind : ModelFailure.Kind.values()) {
      errorCounter(capability, backend, kindName(kind));
    }
    errorCounter(capability, backend, INTERNAL);
  }

  public void firstOutput(String capability, String backend, Duration elapsed) {
    firstOutputTimer(capability, backend).record(elapsed);
  }

  public void request(String capability, String backend, String outcome, Duration elapsed) {
    requestTimer(capability, backend, outcome).record(elapsed);
  }

  public void error(String capability, String backend, Throwable failure) {
    String kind = failure instanceof ModelFailure model ? kindName(model.kind()) : INTERNAL;
    errorCounter(capability, backend, kind).increment();
  }

  private Timer firstOutputTimer(String capability, String backend) {
    return Timer.builder("switchboard.model.first.output")
        .description("Time from request to the first token or audio chunk")
        .tags("capability", capability, "backend", backend)
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  private Timer requestTimer(String capability, String backend, String outcome) {
    return Timer.builder("switchboard.model.request")
        .description("Whole request duration")
        .tags("capability", capability, "backend", backend, "outcome", outcome)
        .register(registry);
  }

  private Counter errorCounter(String capability, String backend, String kind) {
    return Counter.builder("switchboard.model.errors")
        .description("Backend failures by kind")
        .tags("capability", capability, "backend", backend, "kind", kind)
        .register(registry);
  }

  private static String kindName(ModelFailure.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
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
