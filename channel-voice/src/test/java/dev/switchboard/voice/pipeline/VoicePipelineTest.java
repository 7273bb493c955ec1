package dev.switchboard.voice.pipeline;

import static dev.switchboard.voice.testsupport.TestAudio.concat;
import static dev.switchboard.voice.testsupport.TestAudio.readWav;
import static dev.switchboard.voice.testsupport.TestAudio.rms;
import static dev.switchboard.voice.testsupport.TestAudio.tone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.vad.VadConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VoicePipelineTest {

  private static final int FRAME = 160;

  /**
   * Stands in for model-adapter's streaming SpeechToText at our recognizer seam: it records the
   * audio of each utterance stream and how the stream ended.
   */
  private static final class RecordingRecognizer implements SpeechRecognizer {
    final List<List<short[]>> streams = new ArrayList<>();
    final List<String> endings = new ArrayList<>();

    @Override
    public int sampleRate() {
      return 16_000;
    }

    @Override
    public RecognitionStream open() {
      List<short[]> audio = new ArrayList<>();
      streams.add(audio);
      endings.add("open");
      int index = endings.size() - 1;
      return new RecognitionStream() {
        @Override
        public void send(short[] samples) {
          if (!endings.get(index).equals("open")) {
            throw new AssertionError("audio sent after the stream was " + endings.get(index));
          }
          audio.add(samples);
        }

        @Override
        public void finish() {
          endings.set(index, "finished");
        }

        @Override
        public void cancel() {
          endings.set(index, "cancelled");
        }
      };
    }

    double streamMillis(int index) {
      return streams.get(index).stream().mapToInt(a -> a.length).sum() / 16.0;
    }
  }

  /** The caller's audio as it leaves the jitter buffer: G.711 frames, some packets lost. */
  private static List<Frame> callerFrames(short[] pcm, G711Law law, int... lostFrames) {
    List<Frame> frames = new ArrayList<>();
    for (int at = 0, n = 0; at + FRAME <= pcm.length; at += FRAME, n++) {
      final int index = n;
      if (java.util.Arrays.stream(lostFrames).anyMatch(l -> l == index)) {
        frames.add(new MissingAudioFrame(FRAME));
      } else {
        byte[] payload = new byte[FRAME];
        G711.encode(law, pcm, at, FRAME, payload, 0);
        frames.add(new EncodedAudioFrame(law, payload));
      }
    }
    return frames;
  }

  @Test
  void aSpokenQuestionBecomesOneRecognizerStreamWithPreRollAndOneEndOfTurn() {
    RecordingRecognizer recognizer = new RecordingRecognizer();
    ProcessorHarness harness =
        ProcessorHarness.of(
            Pipeline.of(
                new G711DecodeProcessor(FRAME),
                new VadProcessor(VadConfig.telephone()),
                new SpeechToTextBridge(recognizer, 300, 100)));
    short[] question = concat(readWav("/audio/s1_8k.wav"), new short[8000]);

    harness.send(callerFrames(question, G711Law.ULAW, 40, 41, 90).toArray(new Frame[0]));

    List<Frame> decisions = harness.controlOutput();
    assertEquals(2, decisions.size(), decisions.toString());
    UserStartedSpeakingFrame started = (UserStartedSpeakingFrame) decisions.get(0);
    UserStoppedSpeakingFrame stopped = (UserStoppedSpeakingFrame) decisions.get(1);
    assertEquals(started.startMillis(), stopped.startMillis());
    assertEquals(List.of("finished"), recognizer.endings);
    // The stream holds the pre-roll, the onset and everything up to the end of the turn.
    double expected = (stopped.endMillis() - stopped.startMillis()) + 300 + 500;
    assertEquals(expected, recognizer.streamMillis(0), 120.0);
    // In 100 ms messages (1,600 samples at 16 kHz), the rest flushed before the stream finished.
    List<short[]> messages = recognizer.streams.get(0);
    assertTrue(messages.size() > 2, "several messages: " + messages.size());
    messages.subList(0, messages.size() - 1).forEach(m -> assertTrue(m.length >= 1600));
    assertTrue(messages.get(messages.size() - 1).length > 0);
    assertEquals(question.length / FRAME, harness.outputOf(AudioFrame.class).size());
  }

  @Test
  void aCoughOpensAStreamThatIsCancelledNotTranscribed() {
    RecordingRecognizer recognizer = new RecordingRecognizer();
    short[] cough = dev.switchboard.voice.testsupport.TestAudio.whiteNoise(-12, 1200, 5);
    ProcessorHarness harness =
        ProcessorHarness.of(
            Pipeline.of(
                new G711DecodeProcessor(FRAME),
                new VadProcessor(VadConfig.telephone()),
                new SpeechToTextBridge(recognizer, 300, 100)));

    harness.send(
        callerFrames(concat(new short[8000], cough, new short[8000]), G711Law.ALAW)
            .toArray(new Frame[0]));

    assertEquals(List.of("cancelled"), recognizer.endings);
    assertEquals(1, harness.outputOf(SpeechDiscardedFrame.class).size());
    assertTrue(harness.outputOf(UserStoppedSpeakingFrame.class).isEmpty());
  }

  @Test
  void ttsAudioIsResampledCutIntoFramesAndPlayedInChunkOrder() {
    PlayoutQueue playout = new PlayoutQueue(FRAME);
    ProcessorHarness harness = ProcessorHarness.of(playout);
    short[] first = tone(500, 8000, 22_050, 22_050); // 1 s at 22.05 kHz
    short[] second = tone(1000, 8000, 16_000, 8_000); // 0.5 s at 16 kHz

    harness.send(
        new TtsAudioFrame(first, 22_050, "reply-0", true),
        new TtsAudioFrame(second, 16_000, "reply-1", true));
    playout.flushUtterance();

    List<PlayoutQueue.PlayoutFrame> played = drain(playout);
    // 1.5 s in 20 ms frames; each chunk ends with the resampler's flushed tail, padded to a frame.
    assertEquals(76, played.size(), 1.0, "1.5 s of audio in 20 ms frames");
    int switchAt = 0;
    while (played.get(switchAt).utteranceId().equals("reply-0")) {
      switchAt++;
    }
    assertEquals(51, switchAt, 1.0);
    assertTrue(
        played.subList(switchAt, played.size()).stream()
            .allMatch(f -> f.utteranceId().equals("reply-1")));
    assertTrue(harness.output().isEmpty(), "TTS audio leaves the pipeline only as RTP");
  }

  @Test
  void theSenderHearsOnceWhenAudioIsQueuedAfterSilence() {
    PlayoutQueue playout = new PlayoutQueue(FRAME);
    java.util.concurrent.atomic.AtomicInteger woken =
        new java.util.concurrent.atomic.AtomicInteger();
    playout.onAudioAfterSilence(woken::incrementAndGet);
    playout.enqueue(new TtsAudioFrame(tone(400, 8000, 8000, 800), 8000, "reply-0", true));
    playout.enqueue(new TtsAudioFrame(tone(400, 8000, 8000, 800), 8000, "reply-0", true));
    assertEquals(1, woken.get(), "once for the start of the reply");
    while (playout.nextFrame().isPresent()) {
      // the paced sender plays it out
    }
    playout.enqueue(new TtsAudioFrame(tone(400, 8000, 8000, 800), 8000, "reply-1", true));
    assertEquals(2, woken.get(), "again after the silence that followed it");
  }

  @Test
  void bargeInStopsPlaybackWithinOneFrameAndDropsQueuedAudio() {
    PlayoutQueue playout = new PlayoutQueue(FRAME);
    playout.enqueue(new TtsAudioFrame(tone(400, 8000, 8000, 8000 * 5), 8000, "reply-0", true));
    RecordingRecognizer recognizer = new RecordingRecognizer();
    BargeInProcessor bargeIn = new BargeInProcessor(playout, 200);
    ProcessorHarness harness =
        ProcessorHarness.of(
            Pipeline.of(
                new G711DecodeProcessor(FRAME),
                new VadProcessor(VadConfig.telephone()),
                bargeIn,
                new SpeechToTextBridge(recognizer, 300, 100)));
    // The caller is quiet for 1 s of our reply, then talks over it.
    short[] caller = concat(new short[8000], readWav("/audio/s2_8k.wav"));
    List<Frame> callerFrames = callerFrames(caller, G711Law.ULAW);

    int tickOfInterruption = -1;
    int firstSilentTick = -1;
    for (int tick = 0; tick < callerFrames.size(); tick++) {
      Optional<PlayoutQueue.PlayoutFrame> sent = playout.nextFrame(); // the paced sender's tick
      if (sent.isEmpty() && firstSilentTick < 0) {
        firstSilentTick = tick;
      }
      harness.send(callerFrames.get(tick));
      if (tickOfInterruption < 0 && !harness.outputOf(InterruptionFrame.class).isEmpty()) {
        tickOfInterruption = tick;
      }
    }

    assertEquals(1, harness.outputOf(InterruptionFrame.class).size());
    assertEquals(tickOfInterruption + 1, firstSilentTick, "silent from the very next frame");
    assertTrue(playout.droppedFrames() > 100, "the rest of the 5 s reply was dropped");
    long speechStart = harness.outputOf(UserStartedSpeakingFrame.class).get(0).startMillis();
    long reaction = tickOfInterruption * 20L + 20 - speechStart;
    assertTrue(reaction <= 140, "stopped " + reaction + " ms after the caller started");
    assertEquals(1, recognizer.streams.size(), "the barge-in speech is still transcribed");
  }

  @Test
  void theGreetingIsNotInterruptibleAndSpeechDuringTheEchoGuardDoesNotInterrupt() {
    PlayoutQueue playout = new PlayoutQueue(FRAME);
    playout.enqueue(new TtsAudioFrame(tone(400, 8000, 8000, 8000 * 4), 8000, "greeting", false));
    BargeInProcessor bargeIn = new BargeInProcessor(playout, 200);
    ProcessorHarness harness =
        ProcessorHarness.of(
            Pipeline.of(
                new G711DecodeProcessor(FRAME), new VadProcessor(VadConfig.telephone()), bargeIn));
    short[] caller = concat(new short[4000], readWav("/audio/s3_8k.wav"));

    int played = 0;
    for (Frame frame : callerFrames(caller, G711Law.ULAW)) {
      if (playout.nextFrame().isPresent()) {
        played++;
      }
      harness.send(frame);
    }

    assertTrue(harness.outputOf(InterruptionFrame.class).isEmpty());
    assertEquals(200, played, "all 4 s of the greeting played");

    // An interruptible reply with speech starting 100 ms into it (inside the guard): no barge-in.
    PlayoutQueue reply = new PlayoutQueue(FRAME);
    BargeInProcessor guarded = new BargeInProcessor(reply, 200);
    ProcessorHarness h2 = ProcessorHarness.of(guarded);
    h2.send(new AudioFrame(new short[FRAME], 8000));
    reply.enqueue(new TtsAudioFrame(new short[8000], 8000, "reply-0", true));
    h2.send(new AudioFrame(new short[FRAME], 8000), new AudioFrame(new short[FRAME], 8000));
    h2.send(new UserStartedSpeakingFrame(120));
    assertTrue(h2.outputOf(InterruptionFrame.class).isEmpty());
    h2.send(new UserStartedSpeakingFrame(600));
    assertEquals(1, h2.outputOf(InterruptionFrame.class).size());
  }

  @Test
  void lostPacketsAreConcealedByTheDecoder() {
    short[] pcm = tone(440, 10_000, 8000, 8000);
    ProcessorHarness harness = ProcessorHarness.of(new G711DecodeProcessor(FRAME));

    harness.send(callerFrames(pcm, G711Law.ULAW, 10).toArray(new Frame[0]));

    List<AudioFrame> audio = harness.outputOf(AudioFrame.class);
    assertEquals(50, audio.size());
    short[] concealed = audio.get(10).samples();
    assertTrue(rms(concealed, 0, FRAME) > 2000, "the gap is filled, not silent");
  }

  private static List<PlayoutQueue.PlayoutFrame> drain(PlayoutQueue playout) {
    List<PlayoutQueue.PlayoutFrame> out = new ArrayList<>();
    for (Optional<PlayoutQueue.PlayoutFrame> f = playout.nextFrame();
        f.isPresent();
        f = playout.nextFrame()) {
      out.add(f.get());
    }
    return out;
  }
}
