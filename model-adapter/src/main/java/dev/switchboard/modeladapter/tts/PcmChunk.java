package dev.switchboard.modeladapter.tts;

/** A piece of mono 16-bit little-endian PCM at {@code sampleRateHz}. */
public record PcmChunk(byte[] pcm16le, int sampleRateHz) {

  /** Duration in seconds. */
  public double seconds() {
    return pcm16le.length / 2.0 / sampleRateHz;
  }
}
