package dev.switchboard.voice.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.voice.pacing.PacedScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared pacer's punctuality reaches the metrics registry (and so /q/metrics). */
class PacerMetricsTest {

  @Test
  void lateSendsAreCountedByHowLateTheyWere() {
    AtomicLong clock = new AtomicLong(0);
    PacedScheduler pacer = new PacedScheduler(20, 20, clock::get);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConversationMediaHandler.registerPacerMetrics(pacer, registry);
    pacer.register((scheduled, now) -> {});

    pacer.runDue(); // origin: registers the stream
    clock.set(20_000_000); // the stream's next tick, on time
    pacer.runDue();
    clock.set(46_000_000); // the tick due at 40 ms, 6 ms late
    pacer.runDue();

    assertEquals(3.0, registry.get("switchboard.voice.pacer.sends").functionCounter().count());
    assertEquals(
        1.0,
        registry
            .get("switchboard.voice.pacer.late.sends")
            .tag("late_by", "5ms")
            .functionCounter()
            .count());
    assertEquals(
        0.0,
        registry
            .get("switchboard.voice.pacer.late.sends")
            .tag("late_by", "20ms")
            .functionCounter()
            .count());
    assertEquals(0.0, registry.get("switchboard.voice.pacer.overruns").functionCounter().count());
  }
}
