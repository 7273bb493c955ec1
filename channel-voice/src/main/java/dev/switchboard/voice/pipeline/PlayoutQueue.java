package dev.switchboard.voice.pipeline;

import dev.switchboard.voice.audio.Resampler;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The audio waiting to be sent to the caller, cut into 20 ms frames at 8 kHz.
 *
 * <p>{@link TtsAudioFrame}s of any rate are resampled and queued behind what is already there (so
 * reply chunks play in order). The paced sender takes one frame per tick with {@link #nextFrame()}.
 * An {@link InterruptionFrame} (or {@link #interrupt()}) drops every queued interruptible frame at
 * once and stops the current one, so barge-in silences us by the very next tick; non-interruptible
 * audio (the greeting) is kept. {@link EndFrame} drops everything.
 *
 * <p>Thread-safe: frames arrive from TTS callbacks while the sender's timer thread takes frames.
 */
public final class PlayoutQueue implements FrameProcessor {

  /** One queued 20 ms frame. */
  public record PlayoutFrame(short[] samples, String utteranceId, boolean interruptible) {}

  /**
   * How much of one utterance was queued and sent, in 20 ms frames.
   *
   * @param queuedFrames frames of it that reached the queue (dropped ones included)
   * @param playedFrames frames of it handed to the sender
   * @param complete whether all of its audio had arrived (its synthesis had finished)
   */
  public record UtteranceProgress(int queuedFrames, int playedFrames, boolean complete) {}

  /** Utterances whose progress is remembered: enough for every chunk of a few replies. */
  private static final int PROGRESS_KEPT = 64;

  private final int samplesPerFrame;
  private final ArrayDeque<PlayoutFrame> frames = new ArrayDeque<>();
  private Resampler resampler;
  private String resamplerUtterance;
  private short[] partial;
  private int partialLength;
  private String partialUtterance;
  private boolean partialInterruptible;
  private PlayoutFrame current;
  private long droppedFrames;
  private long interruptions;
  private volatile Runnable onAudioAfterSilence = () -> {};
  private final java.util.Map<String, int[]> progress =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, int[]> eldest) {
          return size() > PROGRESS_KEPT;
        }
      };

  /**
   * @param samplesPerFrame samples per 20 ms at the output rate (160 at 8 kHz)
   */
  public PlayoutQueue(int samplesPerFrame) {
    this.samplesPerFrame = samplesPerFrame;
    this.partial = new short[samplesPerFrame];
  }

  /**
   * Called (on the thread queueing audio) when audio is queued while nothing is playing, so the
   * sender can start sooner than its next regular tick.
   */
  public void onAudioAfterSilence(Runnable listener) {
    this.onAudioAfterSilence = listener;
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    if (frame instanceof TtsAudioFrame tts) {
      enqueue(tts);
      return; // consumed: it leaves the pipeline as RTP
    }
    if (frame instanceof InterruptionFrame) {
      interrupt();
    } else if (frame instanceof EndFrame) {
      clear();
    }
    downstream.push(frame);
  }

  /** Queues synthesized audio (also usable directly for cached prompts). */
  public synchronized void enqueue(TtsAudioFrame tts) {
    if (partialUtterance != null && !tts.utteranceId().equals(partialUtterance)) {
      flushUtterance(); // the previous chunk ends where the next one begins
    }
    partialUtterance = tts.utteranceId();
    partialInterruptible = tts.interruptible();
    short[] samples = tts.samples();
    if (tts.sampleRate() != 8000) {
      if (resampler == null
          || resampler.inputRate() != tts.sampleRate()
          || !tts.utteranceId().equals(resamplerUtterance)) {
        resampler = new Resampler(tts.sampleRate(), 8000);
        resamplerUtterance = tts.utteranceId();
      }
      samples = resampler.process(samples);
    }
    appendSamples(samples);
  }

  private void appendSamples(short[] samples) {
    for (short sample : samples) {
      partial[partialLength++] = sample;
      if (partialLength == samplesPerFrame) {
        counts(partialUtterance)[0]++;
        addFrame(new PlayoutFrame(partial, partialUtterance, partialInterruptible));
        partial = new short[samplesPerFrame];
        partialLength = 0;
      }
    }
  }

  private void addFrame(PlayoutFrame frame) {
    boolean silent = frames.isEmpty() && current == null;
    frames.addLast(frame);
    if (silent) {
      onAudioAfterSilence.run();
    }
  }

  /** Pads and queues the last partial frame of the current utterance (call at end of a chunk). */
  public synchronized void flushUtterance() {
    if (resampler != null
        && resamplerUtterance != null
        && resamplerUtterance.equals(partialUtterance)) {
      // Push the filter's delay line out so the last few milliseconds are not lost.
      appendSamples(
          resampler.process(new short[(int) Math.ceil(resampler.delayInputSamples()) + 1]));
      resamplerUtterance = null;
    }
    if (partialLength > 0) {
      counts(partialUtterance)[0]++;
      addFrame(new PlayoutFrame(partial, partialUtterance, partialInterruptible));
      partial = new short[samplesPerFrame];
      partialLength = 0;
    }
    if (partialUtterance != null) {
      counts(partialUtterance)[2] = 1;
    }
    partialUtterance = null;
  }

  /** The frame to send now, or empty when there is nothing to say (the sender sends silence). */
  public synchronized Optional<PlayoutFrame> nextFrame() {
    current = frames.pollFirst();
    if (current != null) {
      counts(current.utteranceId())[1]++;
    }
    return Optional.ofNullable(current);
  }

  /** Barge-in: drop all interruptible audio, queued or partly assembled. */
  public synchronized void interrupt() {
    interruptions++;
    frames.removeIf(
        frame -> {
          if (frame.interruptible()) {
            droppedFrames++;
            return true;
          }
          return false;
        });
    if (partialInterruptible) {
      partialLength = 0;
      partialUtterance = null;
      resamplerUtterance = null; // the cut-off chunk's filter state must not leak into the next
    }
    if (current != null && current.interruptible()) {
      current = null;
    }
  }

  /** Whether interruptible audio is playing or queued (barge-in applies). */
  public synchronized boolean playingInterruptible() {
    return (current != null && current.interruptible())
        || frames.stream().anyMatch(PlayoutFrame::interruptible);
  }

  /** Whether any audio is playing or queued. */
  public synchronized boolean isPlaying() {
    return current != null || !frames.isEmpty() || partialLength > 0;
  }

  /** Audio waiting, in ms. */
  public synchronized int queuedMillis() {
    return (frames.size() * samplesPerFrame + partialLength) * 1000 / 8000;
  }

  /**
   * How much of an utterance was queued and played, for the part of a reply the caller heard; empty
   * when it never reached the queue (or is long forgotten).
   */
  public synchronized Optional<UtteranceProgress> progress(String utteranceId) {
    int[] c = progress.get(utteranceId);
    return c == null ? Optional.empty() : Optional.of(new UtteranceProgress(c[0], c[1], c[2] == 1));
  }

  private int[] counts(String utteranceId) {
    return progress.computeIfAbsent(utteranceId, id -> new int[3]);
  }

  /** Frames dropped by interruptions so far. */
  public synchronized long droppedFrames() {
    return droppedFrames;
  }

  /** Interruptions handled so far. */
  public synchronized long interruptions() {
    return interruptions;
  }

  private synchronized void clear() {
    droppedFrames += frames.size();
    frames.clear();
    partialLength = 0;
    partialUtterance = null;
    resamplerUtterance = null;
    current = null;
  }
}
