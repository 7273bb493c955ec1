package dev.switchboard.voice.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.voice.pipeline.PlayoutQueue;
import dev.switchboard.voice.pipeline.TtsAudioFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the caller heard of a reply they spoke over, from a real playout queue's counts. */
class HeardTextTest {
  private static final String FIRST = "It is in Bedrock.";
  private static final String SECOND = "The Flintstones live there with their pet dinosaur Dino.";

  private final PlayoutQueue playout = new PlayoutQueue(160);

  /** Queues {@code frames} 20 ms frames of a chunk's audio, as the sequencer does. */
  private void queue(String utterance, int frames, boolean complete) {
    playout.enqueue(new TtsAudioFrame(new short[160 * frames], 8000, utterance, true));
    if (complete) {
      playout.flushUtterance();
    }
  }

  private void play(int frames) {
    for (int i = 0; i < frames; i++) {
      playout.nextFrame();
    }
  }

  private String heard() {
    return HeardText.of(
        List.of(new HeardText.SpokenChunk("r:0", FIRST), new HeardText.SpokenChunk("r:1", SECOND)),
        playout::progress);
  }

  @Test
  void theFirstChunkWholeAndTheSecondCutAtAWordBoundaryInProportionToItsAudio() {
    queue("r:0", 50, true);
    queue("r:1", 100, true);
    play(50 + 40); // all of the first, 40 % of the second
    playout.interrupt();
    play(10); // nothing more of the reply leaves after the interruption

    // 40 % of the 56 characters is 22.4: "The Flintstones live" ends at 20, "there" at 26.
    assertEquals(FIRST + " The Flintstones live", heard());
  }

  @Test
  void speakingOverTheFirstWordsMeansNothingWasHeardOfTheRest() {
    queue("r:0", 50, true);
    queue("r:1", 100, true);
    play(3);
    playout.interrupt();

    assertEquals("", heard(), "6 % of the first chunk ends inside its first word");
  }

  @Test
  void aReplyPlayedToItsEndWasHeardWhole() {
    queue("r:0", 50, true);
    queue("r:1", 100, true);
    play(150);

    assertEquals(FIRST + " " + SECOND, heard());
  }

  @Test
  void aChunkStillBeingSynthesizedIsMeasuredAgainstTheAudioSoFar() {
    queue("r:0", 50, true);
    queue("r:1", 20, false); // synthesis still streaming
    play(50 + 20);
    playout.interrupt();

    assertEquals(FIRST + " " + SECOND, heard(), "the documented overstatement");
  }

  @Test
  void cutCountsOnlyWordsWhoseEndWasReached() {
    assertEquals("", HeardText.cut("Hello there", 0.2));
    assertEquals("Hello", HeardText.cut("Hello there", 0.5));
    assertEquals("Hello", HeardText.cut("  Hello   there  ", 0.9));
    assertEquals("Hello there", HeardText.cut("Hello there", 1.0));
    assertEquals("", HeardText.cut("", 0.5));
  }
}
