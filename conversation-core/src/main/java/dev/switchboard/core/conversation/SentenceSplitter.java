package dev.switchboard.core.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts a streamed answer into sentences as the text arrives, so each can be spoken while the rest
 * is still being written. A boundary is {@code .}, {@code !}, {@code ?} or {@code …} (or a run of
 * them, optionally followed by closing quotes/brackets) followed by whitespace. Not a boundary:
 * decimals and numbers ({@code 3.14}, {@code 1,000.5} — no whitespace follows), URLs and e-mail
 * addresses (same reason), common abbreviations ({@code Dr. Mr. e.g. etc.}), single initials
 * ({@code J. Smith}), and a number followed by a period and a lower-case word. A newline after text
 * also ends a sentence (list items, paragraphs).
 *
 * <p>Not thread-safe: one instance per reply. Limits: abbreviations are English; a sentence ending
 * in an abbreviation is only cut at the next boundary.
 */
public final class SentenceSplitter {
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "approx",
          "no", "fig", "inc", "ltd", "co", "corp", "mt", "ft", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "min", "max");

  private final StringBuilder pending = new StringBuilder();

  /** Adds a delta; returns the sentences it completed, in order. */
  public List<String> add(String delta) {
    pending.append(delta);
    List<String> sentences = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < pending.length()) {
      char c = pending.charAt(i);
      if (c == '\n') {
        String sentence = pending.substring(start, i).trim();
        if (!sentence.isEmpty()) {
          sentences.add(sentence);
        }
        start = i + 1;
        i++;
        continue;
      }
      if (isTerminator(c)) {
        int end = i + 1;
        while (end < pending.length()
            && (isTerminator(pending.charAt(end)) || isCloser(pending.charAt(end)))) {
          end++;
        }
        if (end >= pending.length()) {
          break; // Need the next character to know whether this is a boundary.
        }
        Boolean boundary =
            Character.isWhitespace(pending.charAt(end))
                ? isBoundary(pending, start, i, c, end)
                : Boolean.FALSE;
        if (boundary == null) {
          break; // "2024. " — the next word decides; wait for it.
        }
        if (boundary) {
          String sentence = pending.substring(start, end).trim();
          if (!sentence.isEmpty()) {
            sentences.add(sentence);
          }
          start = end;
        }
        i = end;
        continue;
      }
      i++;
    }
    pending.delete(0, start);
    return sentences;
  }

  /** Whatever is left when the stream ends (may be empty). */
  public String rest() {
    String rest = pending.toString().trim();
    pending.setLength(0);
    return rest;
  }

  /** True, false, or null when the text that decides has not arrived yet. */
  private static Boolean isBoundary(CharSequence text, int start, int dot, char c, int after) {
    if (c != '.') {
      return true;
    }
    int wordStart = dot;
    while (wordStart > start && !Character.isWhitespace(text.charAt(wordStart - 1))) {
      wordStart--;
    }
    String word = text.subSequence(wordStart, dot).toString().toLowerCase();
    word = word.replaceAll("^[\"'(\\[]+", "");
    if (ABBREVIATIONS.contains(word)) {
      return false;
    }
    if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
      return false; // an initial, as in "J. Smith"
    }
    if (!word.isEmpty() && word.chars().allMatch(Character::isDigit)) {
      // "3. item" in a list, or "in 2024. Then": boundary only if an upper-case word follows.
      int next = after;
      while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
        next++;
      }
      return next < text.length() ? Character.isUpperCase(text.charAt(next)) : null;
    }
    return true;
  }

  private static boolean isTerminator(char c) {
    return c == '.' || c == '!' || c == '?' || c == '…';
  }

  private static boolean isCloser(char c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '”' || c == '’';
  }
}
