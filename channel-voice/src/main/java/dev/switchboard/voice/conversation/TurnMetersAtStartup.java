package dev.switchboard.voice.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Registers the voice turn's meters when the service starts rather than with the first call (the
 * media handler is created lazily), so the latency series the alerts and the dashboard read exist,
 * empty, on a node that has not taken a call yet. Micrometer hands the same meters to the calls.
 */
@Startup
@Singleton
public class TurnMetersAtStartup {
  public TurnMetersAtStartup(MeterRegistry metrics) {
    CallServices.stageTimers(metrics);
    CallServices.turnLatency(metrics);
    CallServices.ttsFailures(metrics);
    CallServices.sttFailures(metrics);
  }
}
