package dev.switchboard.voice.conversation;

import dev.switchboard.voice.config.VoiceConfig;
import java.util.List;

/** The fixed prompts a call may need, from configuration. */
final class VoiceConfigPrompts {
  private VoiceConfigPrompts() {}

  static List<String> of(VoiceConfig.Conversation settings) {
    return List.of(
        settings.goodbyePrompt(),
        settings.stillTherePrompt(),
        settings.apologyPrompt(),
        settings.timeLimitWarningPrompt());
  }
}
