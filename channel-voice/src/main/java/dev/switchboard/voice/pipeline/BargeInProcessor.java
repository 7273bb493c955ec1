package dev.switchboard.voice.pipeline;

/**
 * Barge-in: when the caller starts speaking while interruptible audio of ours is playing, it stops
 * the playout at once and sends an {@link InterruptionFrame} downstream (which becomes the
 * Interrupted event for the conversation). Speech that starts within {@code echoGuardMillis} of our
 * playback starting is ignored: the echo of our own first syllables can come back from the far end
 * and would otherwise cut us off. (Echo later in playback is left to the network's echo
 * cancellers.)
 *
 * <p>Time is the caller's stream time, counted from the audio frames passing through, the same
 * clock the VAD stamps speech with.
 */
public final class BargeInProcessor implements FrameProcessor {

  private final PlayoutQueue playout;
  private final int echoGuardMillis;
  private double streamMillis;
  private double playbackStartedAt = -1;
  private long interruptions;

  public BargeInProcessor(PlayoutQueue playout, int echoGuardMillis) {
    this.playout = playout;
    this.echoGuardMillis = echoGuardMillis;
  }

  @Override
  public void process(Frame frame, FrameSink downstream) {
    if (frame instanceof AudioFrame audio) {
      trackPlayback();
      streamMillis += audio.millis();
    } else if (frame instanceof UserStartedSpeakingFrame started
        && playout.playingInterruptible()
        && playbackStartedAt >= 0
        && started.startMillis() - playbackStartedAt >= echoGuardMillis) {
      playout.interrupt();
      interruptions++;
      downstream.push(new InterruptionFrame(Math.round(streamMillis)));
    }
    downstream.push(frame);
  }

  /** Barge-ins detected so far. */
  public long interruptions() {
    return interruptions;
  }

  private void trackPlayback() {
    boolean playing = playout.isPlaying();
    if (playing && playbackStartedAt < 0) {
      playbackStartedAt = streamMillis;
    } else if (!playing) {
      playbackStartedAt = -1;
    }
  }
}
