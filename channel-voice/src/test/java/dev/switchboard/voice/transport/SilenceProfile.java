package dev.switchboard.voice.transport;

import java.util.HashMap;
import java.util.Map;

/** The conversation handler with a short silence timeout. */
public class SilenceProfile extends ConversationProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("switchboard.voice.conversation.silence-timeout", "2s");
    return config;
  }
}
