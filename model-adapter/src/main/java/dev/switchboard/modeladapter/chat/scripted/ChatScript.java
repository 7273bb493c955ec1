package dev.switchboard.modeladapter.chat.scripted;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A script of deterministic replies: the first rule matching the last user text wins, otherwise the
 * default reply is given.
 *
 * @param rules tried in order
 * @param defaultReply said when no rule matches
 * @param firstTokenDelayMs wait before the first delta, to imitate a model thinking
 * @param tokenIntervalMs wait between deltas, to imitate token pacing
 */
public record ChatScript(
    List<Rule> rules,
    @JsonProperty("default") String defaultReply,
    long firstTokenDelayMs,
    long tokenIntervalMs) {

  public ChatScript {
    rules = rules == null ? List.of() : List.copyOf(rules);
    if (defaultReply == null || defaultReply.isBlank()) {
      throw new IllegalArgumentException("a chat script needs a non-empty 'default' reply");
    }
    if (firstTokenDelayMs < 0 || tokenIntervalMs < 0) {
      throw new IllegalArgumentException("script delays must not be negative");
    }
  }

  /** The reply for this user text. */
  public String replyTo(String userText) {
    for (Rule rule : rules) {
      if (rule.matches(userText)) {
        return rule.reply();
      }
    }
    return defaultReply;
  }

  /**
   * One rule: matches when the user text contains {@code contains} (ignoring case) or when {@code
   * regex} is found in it. Exactly one of the two must be given.
   */
  public record Rule(String contains, String regex, String reply) {

    public Rule {
      boolean hasContains = contains != null && !contains.isEmpty();
      boolean hasRegex = regex != null && !regex.isEmpty();
      if (hasContains == hasRegex) {
        throw new IllegalArgumentException(
            "each script rule needs exactly one of 'contains' or 'regex'");
      }
      if (reply == null || reply.isEmpty()) {
        throw new IllegalArgumentException("each script rule needs a 'reply'");
      }
      if (hasRegex) {
        Pattern.compile(regex); // fail at load time, not on the first message
      }
    }

    boolean matches(String userText) {
      return Optional.ofNullable(contains)
          .filter(needle -> !needle.isEmpty())
          .map(
              needle -> userText.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT)))
          .orElseGet(() -> Pattern.compile(regex).matcher(userText).find());
    }
  }
}
