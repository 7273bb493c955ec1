package dev.switchboard.voice.transport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The production media handler (conversation over Kafka and model-adapter) instead of echo. */
public class ConversationProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "switchboard.voice.media.test-mode", "off",
        "switchboard.voice.node-number", "0",
        "switchboard.voice.node-name", "voice-test-0",
        // Long enough that no "are you still there?" interferes with the scripted turn.
        "switchboard.voice.conversation.silence-timeout", "60s",
        "switchboard.voice.calls.ring-time", "0ms");
  }
}
