package dev.switchboard.voice.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.pipeline.PlayoutQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reply chunks synthesize in parallel but must reach the caller in order and whole. */
class ReplySequencerTest {

  private static short[] frames(int count, short value) {
    short[] samples = new short[count * 160];
    Arrays.fill(samples, value);
    return samples;
  }

  private static List<String> drain(PlayoutQueue playout) {
    List<String> order = new ArrayList<>();
    for (Optional<PlayoutQueue.PlayoutFrame> f = playout.nextFrame();
        f.isPresent();
        f = playout.nextFrame()) {
      order.add(f.get().utteranceId() + "=" + f.get().samples()[0]);
    }
    return order;
  }

  @Test
  void laterChunkThatFinishesFirstWaitsForTheEarlierOne() {
    PlayoutQueue playout = new PlayoutQueue(160);
    ReplySequencer sequencer = new ReplySequencer(playout);
    ReplySequencer.Job first = sequencer.add("c0", true);
    ReplySequencer.Job second = sequencer.add("c1", true);

    second.audio(frames(2, (short) 2), 8000);
    second.complete();
    assertFalse(playout.isPlaying(), "the second chunk must not jump the queue");

    first.audio(frames(1, (short) 1), 8000);
    assertEquals(List.of("c0=1"), drain(playout), "the head streams straight through");
    first.audio(frames(1, (short) 1), 8000);
    first.complete();

    assertEquals(List.of("c0=1", "c1=2", "c1=2"), drain(playout));
    assertFalse(sequencer.pending());
  }

  @Test
  void bargeInCancelsInterruptibleSpeechButKeepsTheGreeting() {
    PlayoutQueue playout = new PlayoutQueue(160);
    ReplySequencer sequencer = new ReplySequencer(playout);
    ReplySequencer.Job greeting = sequencer.add("greeting", false);
    ReplySequencer.Job reply = sequencer.add("reply", true);
    reply.audio(frames(3, (short) 7), 8000);

    sequencer.interrupt();
    greeting.audio(frames(1, (short) 5), 8000);
    greeting.complete();
    reply.audio(frames(1, (short) 7), 8000); // late audio of the cancelled reply
    reply.complete();

    assertEquals(List.of("greeting=5"), drain(playout));
    assertTrue(!sequencer.pending());
  }
}
