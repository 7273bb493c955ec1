package dev.switchboard.voice.codec;

/**
 * Table-driven G.711 (ITU-T G.711) µ-law and A-law for 16-bit linear PCM.
 *
 * <p>Encoding uses one 64 KiB table per law indexed by the unsigned 16-bit sample, so the hot path
 * is a single array load per sample. The tables are filled once from the segment rules of the
 * standard. µ-law matches {@code javax.sound.sampled} bit for bit (bias 0x84, clip to the top
 * code); A-law follows the ITU-T reference (13-bit magnitude, even-bit inversion 0x55).
 *
 * <p>All methods are pure and thread-safe.
 */
public final class G711 {

  /** The µ-law byte for digital silence (linear 0). */
  public static final byte ULAW_SILENCE = (byte) 0xFF;

  /** The A-law byte for digital silence (linear 0 encodes to +8 after decoding). */
  public static final byte ALAW_SILENCE = (byte) 0xD5;

  private static final int ULAW_BIAS = 0x84;
  private static final int[] ULAW_SEGMENT_END = {
    0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF
  };
  private static final int[] ALAW_SEGMENT_END = {
    0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF
  };

  private static final byte[] LINEAR_TO_ULAW = new byte[65536];
  private static final byte[] LINEAR_TO_ALAW = new byte[65536];
  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];

  static {
    for (int i = 0; i < 65536; i++) {
      short sample = (short) i;
      LINEAR_TO_ULAW[i] = computeUlaw(sample);
      LINEAR_TO_ALAW[i] = computeAlaw(sample);
    }
    for (int code = 0; code < 256; code++) {
      ULAW_TO_LINEAR[code] = computeUlawToLinear(code);
      ALAW_TO_LINEAR[code] = computeAlawToLinear(code);
    }
  }

  private G711() {}

  /** Encodes one linear sample to µ-law. */
  public static byte linearToUlaw(short sample) {
    return LINEAR_TO_ULAW[sample & 0xFFFF];
  }

  /** Decodes one µ-law byte to a linear sample. */
  public static short ulawToLinear(byte code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  /** Encodes one linear sample to A-law. */
  public static byte linearToAlaw(short sample) {
    return LINEAR_TO_ALAW[sample & 0xFFFF];
  }

  /** Decodes one A-law byte to a linear sample. */
  public static short alawToLinear(byte code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  /** Encodes {@code count} samples of {@code pcm} from {@code pcmOffset} into {@code out}. */
  public static void encode(
      G711Law law, short[] pcm, int pcmOffset, int count, byte[] out, int outOffset) {
    byte[] table = law == G711Law.ULAW ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = table[pcm[pcmOffset + i] & 0xFFFF];
    }
  }

  /** Decodes {@code count} bytes of {@code encoded} from {@code offset} into {@code out}. */
  public static void decode(
      G711Law law, byte[] encoded, int offset, int count, short[] out, int outOffset) {
    short[] table = law == G711Law.ULAW ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = table[encoded[offset + i] & 0xFF];
    }
  }

  /** Encodes a whole frame. */
  public static byte[] encode(G711Law law, short[] pcm) {
    byte[] out = new byte[pcm.length];
    encode(law, pcm, 0, pcm.length, out, 0);
    return out;
  }

  /** Decodes a whole payload. */
  public static short[] decode(G711Law law, byte[] encoded) {
    short[] out = new short[encoded.length];
    decode(law, encoded, 0, encoded.length, out, 0);
    return out;
  }

  private static byte computeUlaw(short sample) {
    int value = sample;
    int mask;
    if (value < 0) {
      value = ULAW_BIAS - value;
      mask = 0x7F;
    } else {
      value += ULAW_BIAS;
      mask = 0xFF;
    }
    int segment = segmentOf(value, ULAW_SEGMENT_END);
    if (segment >= 8) {
      return (byte) (0x7F ^ mask);
    }
    int code = (segment << 4) | ((value >> (segment + 3)) & 0x0F);
    return (byte) (code ^ mask);
  }

  private static short computeUlawToLinear(int code) {
    int inverted = ~code & 0xFF;
    int magnitude = (((inverted & 0x0F) << 3) + ULAW_BIAS) << ((inverted & 0x70) >> 4);
    return (short) ((inverted & 0x80) != 0 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS);
  }

  private static byte computeAlaw(short sample) {
    int value = sample >> 3;
    int mask;
    if (value >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      value = -value - 1;
    }
    int segment = segmentOf(value, ALAW_SEGMENT_END);
    if (segment >= 8) {
      return (byte) (0x7F ^ mask);
    }
    int code = segment << 4;
    code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
    return (byte) (code ^ mask);
  }

  private static short computeAlawToLinear(int code) {
    int value = code ^ 0x55;
    int magnitude = (value & 0x0F) << 4;
    int segment = (value & 0x70) >> 4;
    switch (segment) {
      case 0 -> magnitude += 8;
      case 1 -> magnitude += 0x108;
      default -> magnitude = (magnitude + 0x108) << (segment - 1);
    }
    return (short) ((value & 0x80) != 0 ? magnitude : -magnitude);
  }

  private static int segmentOf(int value, int[] segmentEnds) {
    for (int segment = 0; segment < segmentEnds.length; segment++) {
      if (value <= segmentEnds[segment]) {
        return segment;
      }
    }
    return segmentEnds.length;
  }
}
