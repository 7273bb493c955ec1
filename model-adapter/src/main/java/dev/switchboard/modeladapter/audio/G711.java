package dev.switchboard.modeladapter.audio;

/** ITU-T G.711 µ-law and A-law expansion to 16-bit linear PCM. */
public final class G711 {

  private G711() {}

  public static short ulawToLinear(byte encoded) {
    int u = ~encoded & 0xff;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0f;
    int magnitude = ((mantissa << 3) + 0x84) << exponent;
    magnitude -= 0x84;
    return (short) (sign != 0 ? -magnitude : magnitude);
  }

  public static short alawToLinear(byte encoded) {
    int a = (encoded ^ 0x55) & 0xff;
    int sign = a & 0x80;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0f;
    int magnitude =
        exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (short) (sign != 0 ? magnitude : -magnitude);
  }

  /** Expands a whole buffer to little-endian PCM16. */
  public static byte[] toPcm16le(byte[] encoded, boolean ulaw) {
    short[] samples = new short[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      samples[i] = ulaw ? ulawToLinear(encoded[i]) : alawToLinear(encoded[i]);
    }
    return Pcm.toLittleEndian(samples);
  }
}
