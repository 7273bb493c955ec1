package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.conversation.SentenceSplitter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sentences come out as soon as they are complete, and only real sentence ends cut. */
class SentenceSplitterTest {

  private static List<String> split(String... deltas) {
    SentenceSplitter splitter = new SentenceSplitter();
    List<String> out = new ArrayList<>();
    for (String d : deltas) {
      out.addAll(splitter.add(d));
    }
    String rest = splitter.rest();
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  @Test
  void cutsAtSentenceEnds() {
    assertEquals(
        List.of("Hello there!", "How are you?", "Fine."), split("Hello there! How are you? Fine."));
  }

  @Test
  void keepsDecimalsNumbersUrlsAndEmailTogether() {
    assertEquals(
        List.of("It costs 3.50 dollars, or 1,000.25 pesos.", "Visit www.example.com/a.b today."),
        split("It costs 3.50 dollars, or 1,000.25 pesos. Visit www.example.com/a.b today."));
    assertEquals(
        List.of("Write to ana.b@example.org please."), split("Write to ana.b@example.org please."));
  }

  @Test
  void keepsAbbreviationsAndInitialsTogether() {
    assertEquals(
        List.of("Dr. Smith and J. R. Tolkien met e.g. at 5 p.m. on Main St. yesterday.", "Yes."),
        split("Dr. Smith and J. R. Tolkien met e.g. at 5 p.m. on Main St. yesterday. Yes."));
  }

  @Test
  void waitsForTheNextWordAfterANumberAndADot() {
    assertEquals(List.of("Born in 1990.", "Then more."), split("Born in 1990.", " ", "Then more."));
    assertEquals(List.of("Step 3. mix well."), split("Step 3.", " mix", " well."));
  }

  @Test
  void emitsASentenceTheMomentItIsComplete() {
    SentenceSplitter splitter = new SentenceSplitter();
    assertEquals(List.of(), splitter.add("First sen"));
    assertEquals(List.of(), splitter.add("tence."));
    assertEquals(List.of("First sentence."), splitter.add(" Sec"));
    assertEquals("Sec", splitter.rest());
  }

  @Test
  void cutsAtLineBreaksAndClosingQuotes() {
    assertEquals(
        List.of("He said \"stop.\"", "Line one", "Line two"),
        split("He said \"stop.\" Line one\nLine two"));
  }
}
