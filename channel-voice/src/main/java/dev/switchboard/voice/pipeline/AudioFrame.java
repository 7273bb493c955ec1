package dev.switchboard.voice.pipeline;

/** Decoded caller audio: 16-bit mono PCM. */
public record AudioFrame(short[] samples, int sampleRate) implements DataFrame {

  /** The caller's own audio: an interruption cancels what we say, never what they said. */
  @Override
  public boolean interruptible() {
    return false;
  }

  /** Duration in milliseconds. */
  public double millis() {
    return samples.length * 1000.0 / sampleRate;
  }
}
