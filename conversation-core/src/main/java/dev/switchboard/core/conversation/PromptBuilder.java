package dev.switchboard.core.conversation;

import dev.switchboard.core.config.CoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the model prompt: the channel's system prompt, recent history, then the new message. */
@ApplicationScoped
public class PromptBuilder {
  private final CoreConfig config;

  public PromptBuilder(CoreConfig config) {
    this.config = config;
  }

  public List<PromptMessage> build(
      ChannelKind channel,
      List<PromptMessage> history,
      String text,
      String locale,
      String timeZone,
      Instant now) {
    List<PromptMessage> prompt = new ArrayList<>(history.size() + 2);
    StringBuilder system = new StringBuilder(systemPrompt(channel));
    if (locale != null && !locale.isBlank()) {
      system.append(" The person's locale is ").append(locale).append('.');
    }
    zone(timeZone)
        .ifPresent(
            zone ->
                system
                    .append(" Their local time is ")
                    .append(LOCAL_TIME.format(now.atZone(zone)))
                    .append(" (")
                    .append(zone.getId())
                    .append(")."));
    prompt.add(new PromptMessage(PromptMessage.Role.SYSTEM, system.toString()));
    prompt.addAll(history);
    prompt.add(new PromptMessage(PromptMessage.Role.USER, text));
    return prompt;
  }

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("EEEE yyyy-MM-dd HH:mm", Locale.ROOT);

  private static Optional<ZoneId> zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ZoneId.of(timeZone));
    } catch (DateTimeException e) {
      return Optional.empty(); // an unknown zone from a channel is ignored, not fatal
    }
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
