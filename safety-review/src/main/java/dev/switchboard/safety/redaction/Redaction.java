package dev.switchboard.safety.redaction;

import java.util.List;

/**
 * The display copy of a text with personal data replaced by typed placeholders.
 *
 * @param text the redacted text
 * @param found the kinds replaced, in order of replacement (one entry per occurrence)
 */
public record Redaction(String text, List<PiiType> found) {
  public Redaction {
    found = List.copyOf(found);
  }

  public int count() {
    return found.size();
  }
}
