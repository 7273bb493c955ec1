package dev.switchboard.voice.conversation;

import dev.switchboard.voice.client.ModelSpeech;
import dev.switchboard.voice.config.VoiceConfig;
import dev.switchboard.voice.media.TurnStage;
import dev.switchboard.voice.messaging.InboundPublisher;
import dev.switchboard.voice.messaging.VoiceEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every call of the node shares. */
record CallServices(
    InboundPublisher publisher,
    VoiceEvents events,
    ModelSpeech speech,
    Map<String, Prompt> prompts,
    java.util.Set<String> warming,
    VoiceConfig.Conversation settings,
    ScheduledExecutorService timers,
    Executor pipelineExecutor,
    Map<TurnStage, Timer> stageTimers,
    Timer turnTotal,
    Counter ttsFailures,
    Counter sttFailures,
    Tracer tracer) {

  /**
   * A fixed prompt (greeting, goodbye, "are you still there?") synthesized once per language, so it
   * plays on the next tick with no TTS round trip.
   */
  record Prompt(short[] samples, int sampleRate) {}

  static CallServices create(
      InboundPublisher publisher,
      VoiceEvents events,
      ModelSpeech speech,
      VoiceConfig.Conversation settings,
      ScheduledExecutorService timers,
      Executor pipelineExecutor,
      MeterRegistry metrics,
      Tracer tracer) {
    return new CallServices(
        publisher,
        events,
        speech,
        new java.util.concurrent.ConcurrentHashMap<>(),
        java.util.concurrent.ConcurrentHashMap.newKeySet(),
        settings,
        timers,
        pipelineExecutor,
        stageTimers(metrics),
        turnLatency(metrics),
        ttsFailures(metrics),
        sttFailures(metrics),
        tracer);
  }

  /**
   * Time from the previous stage of a turn to each later one ({@code
   * switchboard.voice.turn.stage}).
   */
  static Map<TurnStage, Timer> stageTimers(MeterRegistry metrics) {
    Map<TurnStage, Timer> stages = new EnumMap<>(TurnStage.class);
    for (TurnStage stage : TurnStage.values()) {
      if (stage != TurnStage.END_OF_SPEECH) {
        stages.put(
            stage,
            Timer.builder("switchboard.voice.turn.stage")
                .description("Time from the previous stage of a voice turn to this one")
                .tag("stage", stage.name().toLowerCase())
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(metrics));
      }
    }
    return stages;
  }

  /** The whole turn as the caller lives it ({@code switchboard.voice.turn.latency}). */
  static Timer turnLatency(MeterRegistry metrics) {
    return Timer.builder("switchboard.voice.turn.latency")
        .description("End of the caller's speech to the first RTP packet of the reply")
        .publishPercentileHistogram()
        .register(metrics);
  }

  static Counter ttsFailures(MeterRegistry metrics) {
    return metrics.counter("switchboard.voice.tts.failures");
  }

  static Counter sttFailures(MeterRegistry metrics) {
    return metrics.counter("switchboard.voice.stt.failures");
  }
}
