package dev.switchboard.whatsapp.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a reply into parts of at most {@code maxChars} UTF-16 units (WhatsApp's text limit is 4096
 * characters; counting UTF-16 units never undercounts). Prefers a paragraph break, then a sentence
 * end, then a space, and only then a hard cut. Never cuts inside a surrogate pair, never leaves an
 * inline marker (*, _, ~, `) unbalanced on a cut line when another cut exists, never splits a ```
 * fence, and closes and reopens a code block that spans a cut.
 */
public final class MessageSplitter {
  /** WhatsApp's limit for a text message body. */
  public static final int WHATSAPP_TEXT_LIMIT = 4096;

  private static final String FENCE = "```";
  private static final int FENCE_RESERVE = FENCE.length() + 1;

  private final int maxChars;

  public MessageSplitter(int maxChars) {
    if (maxChars < 64) {
      throw new IllegalArgumentException("maxChars must be at least 64");
    }
    this.maxChars = maxChars;
  }

  public List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    String rest = text == null ? "" : text.strip();
    while (rest.length() > maxChars) {
      int cut = chooseCut(rest, maxChars - FENCE_RESERVE);
      String part = rest.substring(0, cut).stripTrailing();
      rest = rest.substring(cut).stripLeading();
      if (count(part, FENCE) % 2 == 1) {
        part = part + "\n" + FENCE;
        rest = FENCE + "\n" + rest;
      }
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (!rest.isEmpty()) {
      parts.add(rest);
    }
    return parts;
  }

  private static int chooseCut(String s, int limit) {
    int floor = limit / 2;
    int paragraph = lastSafe(s, limit, floor, Boundary.PARAGRAPH);
    if (paragraph > 0) {
      return paragraph;
    }
    int sentence = lastSafe(s, limit, floor, Boundary.SENTENCE);
    if (sentence > 0) {
      return sentence;
    }
    int word = lastSafe(s, limit, floor, Boundary.WORD);
    if (word > 0) {
      return word;
    }
    int anyWord = lastSafe(s, limit, 1, Boundary.WORD);
    if (anyWord > 0) {
      return anyWord;
    }
    return hardCut(s, limit);
  }

  private enum Boundary {
    PARAGRAPH,
    SENTENCE,
    WORD
  }

  /** The largest cut position in [floor, limit] of this kind that leaves markers balanced. */
  private static int lastSafe(String s, int limit, int floor, Boundary kind) {
    for (int cut = Math.min(limit, s.length() - 1); cut >= Math.max(1, floor); cut--) {
      if (isBoundary(s, cut, kind) && markersBalanced(s, cut)) {
        return cut;
      }
    }
    return -1;
  }

  private static boolean isBoundary(String s, int cut, Boundary kind) {
    char next = s.charAt(cut);
    char previous = s.charAt(cut - 1);
    return switch (kind) {
      case PARAGRAPH -> next == '\n' && previous == '\n';
      case SENTENCE ->
          Character.isWhitespace(next)
              && (previous == '\n' || ".!?…".indexOf(previous) >= 0 || closesSentence(s, cut));
      case WORD -> Character.isWhitespace(next) && !Character.isWhitespace(previous);
    };
  }

  /** "…end." followed by a closing quote or bracket. */
  private static boolean closesSentence(String s, int cut) {
    return cut >= 2
        && "\"')]”’".indexOf(s.charAt(cut - 1)) >= 0
        && ".!?…".indexOf(s.charAt(cut - 2)) >= 0;
  }

  /**
   * True if, on the line being cut, every inline marker outside code is paired (so no *bold* or
   * _italic_ span is torn in two). Code fences are handled by closing and reopening.
   */
  private static boolean markersBalanced(String s, int cut) {
    int lineStart = s.lastIndexOf('\n', cut - 1) + 1;
    int stars = 0;
    int underscores = 0;
    int tildes = 0;
    int backticks = 0;
    for (int i = lineStart; i < cut; i++) {
      char c = s.charAt(i);
      if (c == '`') {
        backticks++;
      } else if (backticks % 2 == 0) {
        if (c == '*') {
          stars++;
        } else if (c == '_' && isMarkerUnderscore(s, i)) {
          underscores++;
        } else if (c == '~') {
          tildes++;
        }
      }
    }
    return stars % 2 == 0 && underscores % 2 == 0 && tildes % 2 == 0 && backticks % 2 == 0;
  }

  /** snake_case words are not italics. */
  private static boolean isMarkerUnderscore(String s, int i) {
    boolean letterBefore = i > 0 && Character.isLetterOrDigit(s.charAt(i - 1));
    boolean letterAfter = i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i + 1));
    return !(letterBefore && letterAfter);
  }

  /** A cut at {@code limit}, moved back off a surrogate pair and off a run of backticks. */
  private static int hardCut(String s, int limit) {
    int cut = limit;
    if (Character.isHighSurrogate(s.charAt(cut - 1)) && Character.isLowSurrogate(s.charAt(cut))) {
      cut--;
    }
    while (cut > 1 && s.charAt(cut) == '`' && s.charAt(cut - 1) == '`') {
      cut--;
    }
    if (s.charAt(cut) == '`' && s.charAt(cut - 1) == '`') {
      return limit; // a line of nothing but backticks: nothing better exists
    }
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return Math.max(1, cut);
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
