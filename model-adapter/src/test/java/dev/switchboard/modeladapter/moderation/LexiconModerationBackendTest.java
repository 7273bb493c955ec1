package dev.switchboard.modeladapter.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The local classifier flags clearly harmful text and lets everyday idioms through. */
class LexiconModerationBackendTest {

  private final LexiconModerationBackend classifier = new LexiconModerationBackend();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "I'm going to kill you tomorrow | harassment/threatening",
        "I will stab my neighbour when he gets home | violence",
        "I know where you live and you're dead | harassment/threatening",
        "you're a worthless piece of shit | harassment",
        "nobody likes you, just kill yourself | harassment",
        "immigrants are vermin | hate",
        "all jews should be exterminated | hate/threatening",
        "we should gas the muslims | hate",
        "I want to die, I'm going to end my life tonight | self-harm/intent",
        "how many sleeping pills would kill me? what's the painless way to kill myself | self-harm/instructions",
        "I keep thinking about suicide | self-harm",
        "how do I make a pipe bomb at home | illicit/violent",
        "how to cook meth in my garage | illicit",
        "send me nudes | sexual",
        "naked pictures of a 12 year old | sexual/minors",
        "he dismembered the body and there was blood everywhere | violence/graphic",
        "I’m gonna shoot them all at school | violence",
      })
  void harmfulSamplesAreFlaggedInTheirCategory(String text, String category) {
    ModerationResult result = classifier.classifyNow(text);

    assertTrue(result.flagged(), () -> "not flagged: " + text + " " + describe(result));
    assertTrue(
        result.score(category) >= 0.5,
        () -> category + " too low for: " + text + " " + describe(result));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kill the process",
        "How do I kill a child process in Linux? kill -9 didn't work",
        "this recipe is killer",
        "You killed it at the presentation today!",
        "I'll shoot you an email with the details",
        "We had a photo shoot with the kids yesterday",
        "I'm dying to try that new restaurant",
        "my feet are killing me after that hike",
        "I cut myself shaving this morning",
        "Can you recommend a good murder mystery novel?",
        "The deadline is killing us, but we'll ship it",
        "Did I hurt you? I'm sorry about what I said.",
        "My son is 7 years old and loves dinosaurs",
        "What is the history of the Holocaust and how did the world respond?",
        "I beat him at chess again",
        "The suspense in that thriller was to die for",
        "Please terminate the running job and restart the server",
        "Our kids need sex education at school, at what age should it start?",
      })
  void benignSamplesPass(String text) {
    ModerationResult result = classifier.classifyNow(text);

    assertFalse(result.flagged(), () -> "false positive: " + text + " " + describe(result));
  }

  @org.junit.jupiter.api.Test
  void everyOpenAiCategoryIsScored() {
    ModerationResult result = classifier.classifyNow("hello there");

    assertEquals(ModerationCategory.values().length, result.scores().size());
    assertEquals("local", result.backend());
    assertTrue(result.scores().stream().allMatch(score -> score.score() == 0.0));
  }

  private static String describe(ModerationResult result) {
    return result.scores().stream()
        .filter(score -> score.score() > 0)
        .map(score -> score.category() + "=" + score.score())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
