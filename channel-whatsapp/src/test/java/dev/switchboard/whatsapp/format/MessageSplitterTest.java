package dev.switchboard.whatsapp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {
  private final MessageSplitter splitter = new MessageSplitter(MessageSplitter.WHATSAPP_TEXT_LIMIT);

  @Test
  void shortTextIsOnePart() {
    assertEquals(List.of("Hello!"), splitter.split("Hello!"));
  }

  @Test
  void exactlyTheLimitIsOnePart() {
    String text = "a".repeat(4096);
    assertEquals(List.of(text), splitter.split(text));
  }

  @Test
  void cutsAtAParagraphBreakFirst() {
    String first = sentence(3000);
    String second = sentence(3000);
    List<String> parts = splitter.split(first + "\n\n" + second);
    assertEquals(List.of(first, second), parts);
  }

  @Test
  void withoutParagraphsCutsAtASentenceEnd() {
    String text = ("This is one sentence that goes on a while. ").repeat(150);
    List<String> parts = splitter.split(text);
    assertTrue(parts.size() >= 2);
    for (String part : parts.subList(0, parts.size() - 1)) {
      assertTrue(part.endsWith("."), "part should end a sentence: …" + tail(part));
      assertTrue(part.length() <= 4096);
    }
    assertEquals(text.strip(), String.join(" ", parts));
  }

  @Test
  void withoutSentencesCutsBetweenWords() {
    String text = "word ".repeat(2000).strip();
    List<String> parts = splitter.split(text);
    parts.forEach(p -> assertTrue(p.length() <= 4096));
    parts.forEach(p -> assertFalse(p.startsWith(" ") || p.endsWith(" ")));
    assertEquals(text, String.join(" ", parts));
  }

  @Test
  void neverCutsASurrogatePair() {
    // 4095 letters then emoji: a naive cut at 4096 would split the pair.
    String text = "x".repeat(4091) + "😀".repeat(200);
    List<String> parts = splitter.split(text);
    for (String part : parts) {
      assertTrue(part.length() <= 4096);
      assertFalse(Character.isLowSurrogate(part.charAt(0)), "part starts with a low surrogate");
      assertFalse(
          Character.isHighSurrogate(part.charAt(part.length() - 1)),
          "part ends with a high surrogate");
    }
    assertEquals(text, String.join("", parts));
  }

  @Test
  void doesNotTearABoldSpanWhenAnotherCutExists() {
    String before = sentence(3500);
    String bold = "*" + "very important words ".repeat(40).strip() + "*";
    List<String> parts = splitter.split(before + " " + bold + " tail.");
    for (String part : parts) {
      long stars = part.chars().filter(c -> c == '*').count();
      assertEquals(0, stars % 2, "unbalanced bold in part: …" + tail(part));
    }
  }

  @Test
  void aCodeBlockAcrossACutIsClosedAndReopened() {
    String code = "```\n" + "let x = 1;\n".repeat(600) + "```";
    List<String> parts = splitter.split("Here:\n" + code);
    assertTrue(parts.size() >= 2);
    for (String part : parts) {
      assertTrue(part.length() <= 4096);
      int fences = (part.length() - part.replace("```", "").length()) / 3;
      assertEquals(0, fences % 2, "unbalanced fence in a part");
    }
  }

  @Test
  void randomTextAlwaysFitsAndLosesNothing() {
    Random random = new Random(42);
    String alphabet = "abc def. ghi! *jk* _l_ \n\né ";
    for (int round = 0; round < 50; round++) {
      StringBuilder text = new StringBuilder();
      int length = 4000 + random.nextInt(12000);
      while (text.length() < length) {
        if (random.nextInt(40) == 0) {
          text.append("😀");
        } else {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      List<String> parts = splitter.split(text.toString());
      StringBuilder squeezed = new StringBuilder();
      for (String part : parts) {
        assertTrue(part.length() <= 4096, "part too long: " + part.length());
        assertFalse(Character.isLowSurrogate(part.charAt(0)));
        squeezed.append(part);
      }
      assertEquals(
          text.toString().replaceAll("\\s", ""),
          squeezed.toString().replaceAll("\\s", ""),
          "text was lost or changed");
    }
  }

  private static String sentence(int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length - 20) {
      text.append("Lorem ipsum dolor. ");
    }
    return text.toString().strip();
  }

  private static String tail(String s) {
    return s.substring(Math.max(0, s.length() - 40));
  }
}
