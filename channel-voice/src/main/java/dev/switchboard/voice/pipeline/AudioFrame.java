package dev.switchboard.voice.pipeline;

/** Decoded caller audio: 16-bit mono PCM. */
public record AudioFrame(short[] samples, int sampleRate) implements DataFrame {

  /** Duration in milliseconds. */
  public double millis() {
    return samples.length * 1000.0 / sampleRate;
  }
}
