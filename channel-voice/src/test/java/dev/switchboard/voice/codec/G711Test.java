package dev.switchboard.voice.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class G711Test {

  private static final int ULAW_CLIP = 32635;

  @Test
  void ulawEncodingOfEverySixteenBitSampleMatchesJavaSound() throws IOException {
    short[] everySample = new short[65536];
    for (int i = 0; i < everySample.length; i++) {
      everySample[i] = (short) (i - 32768);
    }
    byte[] javaSound =
        javaSoundConvert(littleEndian(everySample), pcmFormat(), AudioFormat.Encoding.ULAW);
    byte[] ours = G711.encode(G711Law.ULAW, everySample);

    for (int sample = -ULAW_CLIP; sample <= ULAW_CLIP; sample++) {
      assertEquals(javaSound[sample + 32768], ours[sample + 32768], "µ-law of sample " + sample);
    }
  }

  /**
   * Beyond the G.711 clip level (|x| > 32635) javax.sound computes in 16 bits and wraps, turning a
   * full-scale peak into the code for silence. We clip to the loudest code instead, as G.711 does.
   */
  @Test
  void ulawClipsFullScaleSamplesToTheLoudestCodeInsteadOfWrapping() {
    for (int sample = ULAW_CLIP; sample <= 32767; sample++) {
      assertEquals((byte) 0x80, G711.linearToUlaw((short) sample), "sample " + sample);
      assertEquals((byte) 0x00, G711.linearToUlaw((short) -sample), "sample " + -sample);
    }
    assertEquals(32124, G711.ulawToLinear(G711.linearToUlaw(Short.MAX_VALUE)));
    assertEquals(-32124, G711.ulawToLinear(G711.linearToUlaw(Short.MIN_VALUE)));
  }

  @Test
  void ulawDecodingOfEveryCodeMatchesJavaSound() throws IOException {
    byte[] everyCode = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyCode[i] = (byte) i;
    }
    AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000f, 8, 1, 1, 8000f, false);
    byte[] pcm = javaSoundConvert(everyCode, ulaw, AudioFormat.Encoding.PCM_SIGNED);

    short[] decoded = G711.decode(G711Law.ULAW, everyCode);
    for (int i = 0; i < 256; i++) {
      short expected = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
      assertEquals(expected, decoded[i], "µ-law code " + i);
    }
  }

  @Test
  void alawDecodingMatchesTheItuSegmentTable() {
    for (int code = 0; code < 256; code++) {
      assertEquals(referenceAlawDecode(code), G711.alawToLinear((byte) code), "A-law code " + code);
    }
    // Published values of the widely used alaw2linear table (first entries and silence).
    assertEquals(-5504, G711.alawToLinear((byte) 0x00));
    assertEquals(-5248, G711.alawToLinear((byte) 0x01));
    assertEquals(-6016, G711.alawToLinear((byte) 0x02));
    assertEquals(-5760, G711.alawToLinear((byte) 0x03));
    assertEquals(5504, G711.alawToLinear((byte) 0x80));
    assertEquals(8, G711.alawToLinear((byte) 0xD5));
    assertEquals(-8, G711.alawToLinear((byte) 0x55));
    assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
  }

  @Test
  void alawEncodingOfEverySixteenBitSampleMatchesTheItuDecisionIntervals() {
    for (int i = -32768; i <= 32767; i++) {
      assertEquals(
          referenceAlawEncode(i), G711.linearToAlaw((short) i) & 0xFF, "A-law of sample " + i);
    }
    assertEquals(0xD5, G711.linearToAlaw((short) 0) & 0xFF);
  }

  @Test
  void encodeDecodeRoundTripIsIdempotentForEveryCode() {
    for (G711Law law : G711Law.values()) {
      for (int code = 0; code < 256; code++) {
        byte b = (byte) code;
        short linear = law == G711Law.ULAW ? G711.ulawToLinear(b) : G711.alawToLinear(b);
        byte again = law == G711Law.ULAW ? G711.linearToUlaw(linear) : G711.linearToAlaw(linear);
        short linearAgain =
            law == G711Law.ULAW ? G711.ulawToLinear(again) : G711.alawToLinear(again);
        assertEquals(linear, linearAgain, law + " code " + code);
      }
    }
  }

  @Test
  void payloadTypesFollowRfc3551() {
    assertEquals(G711Law.ULAW, G711Law.forPayloadType(0));
    assertEquals(G711Law.ALAW, G711Law.forPayloadType(8));
    assertEquals(null, G711Law.forPayloadType(101));
  }

  /**
   * G.711 Table 1a: the 13-bit magnitude range is split into 8 segments; segment 0 and 1 have 16
   * steps of 2, segment s >= 2 has 16 steps of 2^s starting at 2^(s+4). The output code is sign (1
   * = positive), 3 segment bits, 4 step bits, with even bits inverted (XOR 0x55).
   */
  private static int referenceAlawEncode(int sample) {
    int thirteenBit = Math.floorDiv(sample, 8);
    boolean positive = thirteenBit >= 0;
    int magnitude = positive ? thirteenBit : -thirteenBit - 1;
    for (int segment = 0; segment < 8; segment++) {
      int start = segment == 0 ? 0 : 16 << segment;
      int step = segment == 0 ? 2 : 1 << segment;
      for (int quant = 0; quant < 16; quant++) {
        int low = start + quant * step;
        if (magnitude >= low && magnitude < low + step) {
          return ((positive ? 0x80 : 0) | (segment << 4) | quant) ^ 0x55;
        }
      }
    }
    return (positive ? 0xFF : 0x7F) ^ 0x55; // beyond the top decision value: clip
  }

  /** Reconstruction value at the middle of the decision interval, scaled from 13 to 16 bits. */
  private static short referenceAlawDecode(int code) {
    int plain = code ^ 0x55;
    boolean positive = (plain & 0x80) != 0;
    int segment = (plain >> 4) & 0x07;
    int quant = plain & 0x0F;
    int start = segment == 0 ? 0 : 16 << segment;
    int step = segment == 0 ? 2 : 1 << segment;
    double middle = start + quant * step + step / 2.0; // in 13-bit units
    int linear = (int) Math.round(middle * 8);
    return (short) (positive ? linear : -linear);
  }

  private static AudioFormat pcmFormat() {
    return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000f, 16, 1, 2, 8000f, false);
  }

  private static byte[] littleEndian(short[] samples) {
    byte[] bytes = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      bytes[2 * i] = (byte) samples[i];
      bytes[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return bytes;
  }

  private static byte[] javaSoundConvert(
      byte[] data, AudioFormat source, AudioFormat.Encoding target) throws IOException {
    AudioInputStream in =
        new AudioInputStream(
            new ByteArrayInputStream(data), source, data.length / source.getFrameSize());
    try (AudioInputStream converted = AudioSystem.getAudioInputStream(target, in)) {
      return converted.readAllBytes();
    }
  }
}
