package dev.switchboard.safety.ui;

import java.util.Map;

/**
 * Fixed messages shown after a redirect. Pages take a key, never free text, so a crafted link
 * cannot put words on the page.
 */
final class Notices {
  private static final Map<String, String> TEXT =
      Map.of(
          "empty", "That queue has no case you can take right now.",
          "decided", "Decision saved.",
          "released", "Case returned to the queue.",
          "claim-lost", "Your claim on that case expired and someone else took it.");

  private Notices() {}

  static String text(String key) {
    return key == null ? null : TEXT.get(key);
  }
}
