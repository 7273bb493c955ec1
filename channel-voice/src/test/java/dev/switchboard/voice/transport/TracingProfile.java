package dev.switchboard.voice.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * The conversation profile with OpenTelemetry switched on; finished spans go to the {@link
 * dev.switchboard.voice.testsupport.RecordingSpanExporter} bean (Quarkus exports to every {@code
 * SpanExporter} bean) within a fraction of a second.
 */
public class TracingProfile extends ConversationProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("quarkus.otel.sdk.disabled", "false");
    config.put("quarkus.otel.bsp.schedule.delay", "50ms");
    // A range of its own, so a conversation test running at the same time elsewhere on the machine
    // does not hold the port this call gets.
    config.put("switchboard.voice.rtp.port-min", "44000");
    config.put("switchboard.voice.rtp.port-max", "44999");
    return config;
  }
}
