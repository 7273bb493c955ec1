package dev.switchboard.modeladapter.audio;

/** Conversions between 16-bit PCM byte layouts and samples. */
public final class Pcm {

  private Pcm() {}

  public static short[] fromLittleEndian(byte[] bytes, int offset, int length) {
    short[] samples = new short[length / 2];
    for (int i = 0; i < samples.length; i++) {
      int at = offset + 2 * i;
      samples[i] = (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8));
    }
    return samples;
  }

  public static short[] fromBigEndian(byte[] bytes, int offset, int length) {
    short[] samples = new short[length / 2];
    for (int i = 0; i < samples.length; i++) {
      int at = offset + 2 * i;
      samples[i] = (short) ((bytes[at] << 8) | (bytes[at + 1] & 0xff));
    }
    return samples;
  }

  public static byte[] toLittleEndian(short[] samples) {
    byte[] bytes = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      bytes[2 * i] = (byte) samples[i];
      bytes[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return bytes;
  }
}
