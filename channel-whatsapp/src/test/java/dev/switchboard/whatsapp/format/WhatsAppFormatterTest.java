package dev.switchboard.whatsapp.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WhatsAppFormatterTest {
  private final WhatsAppFormatter formatter = new WhatsAppFormatter();

  @Test
  void emphasisBecomesWhatsAppMarkers() {
    assertEquals(
        "This is *bold*, _italic_, *also bold*, ~gone~ and `x = 1`.",
        formatter.format("This is **bold**, *italic*, __also bold__, ~~gone~~ and `x = 1`."));
  }

  @Test
  void boldAndItalicInOneLineStayDistinct() {
    assertEquals("*a* and _b_ and *c*", formatter.format("**a** and *b* and **c**"));
  }

  @Test
  void headingsAreFlattenedToBoldLines() {
    assertEquals(
        "*Opening hours*\nMonday to Friday",
        formatter.format("## Opening hours\nMonday to Friday"));
    assertEquals("*Title with bold*", formatter.format("# Title with **bold**"));
  }

  @Test
  void bulletsUseDashesAndNumberedListsStay() {
    assertEquals(
        "- one\n- two *strong*\n  - nested\n1. first\n2. second",
        formatter.format("* one\n+ two **strong**\n  - nested\n1. first\n2. second"));
  }

  @Test
  void linksBecomeTextWithBareUrl() {
    assertEquals(
        "See the docs (https://example.org/docs) or https://example.org",
        formatter.format("See [the docs](https://example.org/docs) or <https://example.org>"));
    assertEquals(
        "https://example.org", formatter.format("[https://example.org](https://example.org)"));
  }

  @Test
  void tablesBecomePlainLines() {
    assertEquals(
        "Day, Hours\nMon, 9-17\nSat, closed",
        formatter.format("| Day | Hours |\n|-----|:-----:|\n| Mon | 9-17 |\n| Sat | closed |"));
  }

  @Test
  void codeBlocksPassThroughUntouchedWithoutLanguage() {
    assertEquals(
        "Run:\n```\nprint(\"**not bold**\")\n```\ndone",
        formatter.format("Run:\n```python\nprint(\"**not bold**\")\n```\ndone"));
  }

  @Test
  void inlineCodeIsNotReformatted() {
    assertEquals("use `**kwargs` here", formatter.format("use `**kwargs` here"));
  }

  @Test
  void quotesStayAndRulesDisappear() {
    assertEquals("> wise words\n\nafter", formatter.format("> wise words\n---\nafter"));
  }

  @Test
  void plainTextAndSnakeCaseAreLeftAlone() {
    assertEquals(
        "3 * 4 = 12 and my_file_name.txt", formatter.format("3 * 4 = 12 and my_file_name.txt"));
  }
}
