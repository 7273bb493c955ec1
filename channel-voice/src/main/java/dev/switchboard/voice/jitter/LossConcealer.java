package dev.switchboard.voice.jitter;

/**
 * Simple packet loss concealment for decoded 20 ms PCM frames: a lost frame is replaced by the last
 * good frame, faded 6 dB further for each consecutive loss and silent from the fourth, so a single
 * loss is barely audible and a long gap does not buzz. The first good frame after a loss is faded
 * in to avoid a click. (G.711 Appendix I pitch-period repetition would sound better; this is the
 * documented baseline.)
 *
 * <p>Not thread-safe: one per call.
 */
public final class LossConcealer {

  private static final int MAX_CONCEALED_FRAMES = 3;

  private final short[] lastGood;
  private int consecutiveLosses;
  private boolean haveGood;

  /**
   * @param samplesPerFrame frame length (160 for 20 ms at 8 kHz)
   */
  public LossConcealer(int samplesPerFrame) {
    this.lastGood = new short[samplesPerFrame];
  }

  /** Passes a good frame through, remembering it; fades it in if it follows a loss. */
  public short[] onGoodFrame(short[] pcm) {
    short[] out = pcm;
    if (consecutiveLosses > 0) {
      out = pcm.clone();
      for (int i = 0; i < out.length; i++) {
        out[i] = (short) (out[i] * (i + 1) / out.length);
      }
    }
    System.arraycopy(pcm, 0, lastGood, 0, Math.min(pcm.length, lastGood.length));
    haveGood = true;
    consecutiveLosses = 0;
    return out;
  }

  /** A frame to play in place of a missing one. */
  public short[] conceal() {
    short[] out = new short[lastGood.length];
    if (!haveGood) {
      return out; // nothing heard yet: plain silence, and no fade-in needed afterwards
    }
    consecutiveLosses++;
    if (consecutiveLosses > MAX_CONCEALED_FRAMES) {
      return out;
    }
    double gainStart = Math.pow(0.5, consecutiveLosses - 1);
    double gainEnd = Math.pow(0.5, consecutiveLosses);
    for (int i = 0; i < out.length; i++) {
      double gain = gainStart + (gainEnd - gainStart) * i / out.length;
      out[i] = (short) Math.round(lastGood[i] * gain);
    }
    return out;
  }

  /** Losses in a row so far. */
  public int consecutiveLosses() {
    return consecutiveLosses;
  }
}
