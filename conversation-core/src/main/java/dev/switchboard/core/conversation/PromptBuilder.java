package dev.switchboard.core.conversation;

import dev.switchboard.core.config.CoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Builds the model prompt: the channel's system prompt, recent history, then the new message. */
@ApplicationScoped
public class PromptBuilder {
  private final CoreConfig config;

  public PromptBuilder(CoreConfig config) {
    this.config = config;
  }

  public List<PromptMessage> build(ChannelKind channel, List<PromptMessage> history, String text) {
    List<PromptMessage> prompt = new ArrayList<>(history.size() + 2);
    prompt.add(new PromptMessage(PromptMessage.Role.SYSTEM, systemPrompt(channel)));
    prompt.addAll(history);
    prompt.add(new PromptMessage(PromptMessage.Role.USER, text));
    return prompt;
  }

  public String systemPrompt(ChannelKind channel) {
    String template =
        switch (channel) {
          case VOICE -> config.core().prompt().voice();
          case WHATSAPP -> config.core().prompt().whatsapp();
        };
    return template.replace("{name}", config.core().assistantName());
  }
}
