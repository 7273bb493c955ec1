package dev.switchboard.voice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class FrameSchedulingTest {

  private static PartialTranscriptFrame data(String text) {
    return new PartialTranscriptFrame(text);
  }

  private static TtsAudioFrame greeting() {
    return new TtsAudioFrame(new short[160], 8000, "greeting", false);
  }

  @Test
  void controlFramesJumpTheQueueAndDataKeepsItsOrder() {
    FrameQueue queue = new FrameQueue();
    queue.offer(data("a"));
    queue.offer(data("b"));
    queue.offer(new UserStartedSpeakingFrame(5));
    queue.offer(data("c"));
    queue.offer(new EndFrame("bye"));

    List<Frame> order = new ArrayList<>();
    for (Frame f = queue.poll(); f != null; f = queue.poll()) {
      order.add(f);
    }
    assertEquals(
        List.of(
            new UserStartedSpeakingFrame(5), new EndFrame("bye"), data("a"), data("b"), data("c")),
        order);
  }

  @Test
  void anInterruptionDropsQueuedInterruptibleDataButNeverControlOrTheGreeting() {
    FrameQueue queue = new FrameQueue();
    TtsAudioFrame greeting = greeting();
    queue.offer(greeting);
    queue.offer(data("stale 1"));
    queue.offer(new EndFrame("later"));
    queue.offer(data("stale 2"));

    int dropped = queue.offer(new InterruptionFrame(100));
    queue.offer(data("fresh"));

    assertEquals(2, dropped);
    List<Frame> order = new ArrayList<>();
    for (Frame f = queue.poll(); f != null; f = queue.poll()) {
      order.add(f);
    }
    assertEquals(
        List.of(new EndFrame("later"), new InterruptionFrame(100), greeting, data("fresh")), order);
    assertEquals(2, queue.droppedByInterruption());
  }

  @Test
  void anInterruptionNeverDropsTheCallersOwnAudio() {
    // Barge-in reaches the receive queue while the caller's words wait in it for the VAD and
    // speech-to-text: those words are what the caller said over us and must all be heard.
    FrameQueue queue = new FrameQueue();
    EncodedAudioFrame encoded =
        new EncodedAudioFrame(dev.switchboard.voice.codec.G711Law.ULAW, new byte[160]);
    MissingAudioFrame missing = new MissingAudioFrame(160);
    AudioFrame decoded = new AudioFrame(new short[160], 8000);
    queue.offer(encoded);
    queue.offer(missing);
    queue.offer(decoded);

    assertEquals(0, queue.offer(new InterruptionFrame(40)));

    List<Frame> order = new ArrayList<>();
    for (Frame f = queue.poll(); f != null; f = queue.poll()) {
      order.add(f);
    }
    assertEquals(List.of(new InterruptionFrame(40), encoded, missing, decoded), order);
  }

  @Test
  void queuedProcessorLetsAnInterruptionOvertakeWorkWaitingBehindASlowStep() {
    ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    Executor manual = tasks::add; // runs only when the test says so
    List<Frame> seen = new ArrayList<>();
    QueuedProcessor queued =
        new QueuedProcessor(
            (frame, out) -> {
              seen.add(frame);
              out.push(frame);
            },
            manual);
    ProcessorHarness harness = ProcessorHarness.of(queued);

    harness.send(
        data("chunk 1"),
        data("chunk 2"),
        data("chunk 3"),
        new InterruptionFrame(7),
        new EndFrame("hangup"));
    assertTrue(harness.output().isEmpty(), "nothing runs before the executor does");
    assertEquals(1, tasks.size(), "one drain task for the whole burst");
    tasks.poll().run();

    assertEquals(List.of(new InterruptionFrame(7), new EndFrame("hangup")), harness.output());
    assertEquals(3, queued.droppedByInterruption());
    harness.send(data("after"));
    tasks.poll().run();
    assertEquals(data("after"), harness.output().get(2));
  }

  @Test
  void aPipelineRunsProcessorsInOrder() {
    FrameProcessor upper =
        (frame, out) ->
            out.push(
                frame instanceof PartialTranscriptFrame p ? data(p.text().toUpperCase()) : frame);
    FrameProcessor exclaim =
        (frame, out) ->
            out.push(frame instanceof PartialTranscriptFrame p ? data(p.text() + "!") : frame);

    ProcessorHarness harness =
        ProcessorHarness.of(Pipeline.of(upper, exclaim)).send(data("hi"), new EndFrame("x"));

    assertEquals(List.of(data("HI!"), new EndFrame("x")), harness.output());
  }
}
