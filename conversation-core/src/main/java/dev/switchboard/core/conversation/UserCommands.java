package dev.switchboard.core.conversation;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Recognises the few things a person can ask of the service itself rather than the assistant. */
public final class UserCommands {
  /** A service command. */
  public enum Command {
    START_OVER,
    DELETE_MY_DATA
  }

  private static final Set<String> START_OVER = Set.of("start over", "reset", "new conversation");
  private static final Set<String> DELETE =
      Set.of("delete my data", "delete my data please", "please delete my data", "erase my data");

  private UserCommands() {}

  /** The command {@code text} is, if it is exactly one (case, accents, punctuation ignored). */
  public static Optional<Command> of(String text) {
    String normalized =
        Normalizer.normalize(text, Normalizer.Form.NFKC)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[\\p{Punct}¡¿]", " ")
            .replaceAll("\\s+", " ")
            .trim();
    if (START_OVER.contains(normalized)) {
      return Optional.of(Command.START_OVER);
    }
    if (DELETE.contains(normalized)) {
      return Optional.of(Command.DELETE_MY_DATA);
    }
    return Optional.empty();
  }
}
