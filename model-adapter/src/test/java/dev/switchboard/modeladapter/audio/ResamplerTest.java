package dev.switchboard.modeladapter.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  static short[] tone(double hz, int rate, int samples, double amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  /** RMS amplitude of the {@code hz} component (Goertzel), ignoring the filter's edges. */
  static double amplitudeAt(short[] signal, double hz, int rate) {
    int from = signal.length / 10;
    int to = signal.length - from;
    double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < to; i++) {
      double s = signal[i] + coefficient * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return 2 * Math.sqrt(power) / (to - from);
  }

  private static short[] resampleInPieces(short[] input, int inRate, int outRate, int piece) {
    Resampler resampler = new Resampler(inRate, outRate);
    short[] out = new short[0];
    for (int at = 0; at < input.length; at += piece) {
      short[] part =
          resampler.process(Arrays.copyOfRange(input, at, Math.min(input.length, at + piece)));
      out = concat(out, part);
    }
    return concat(out, resampler.flush());
  }

  private static short[] concat(short[] a, short[] b) {
    short[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  @Test
  void downsamplingKeepsSpeechBandToneAndLength() {
    short[] input = tone(1_000, 16_000, 16_000, 10_000);

    short[] output = resampleInPieces(input, 16_000, 8_000, 321);

    assertEquals(8_000, output.length);
    assertEquals(10_000, amplitudeAt(output, 1_000, 8_000), 300);
  }

  @Test
  void downsamplingRemovesWhatWouldAlias() {
    // 6 kHz cannot exist at 8 kHz; dropping every other sample would fold it onto 2 kHz.
    short[] input = tone(6_000, 16_000, 16_000, 10_000);

    short[] output = resampleInPieces(input, 16_000, 8_000, 160);

    double naive = amplitudeAt(decimate(input), 2_000, 8_000);
    double filtered = amplitudeAt(output, 2_000, 8_000);
    assertTrue(naive > 9_000, "the naive alias is strong: " + naive);
    assertTrue(filtered < 100, "alias left after low-pass: " + filtered); // > 40 dB down
  }

  @Test
  void upsamplingTo24kAndOddRatesKeepsTheTone() {
    short[] input = tone(440, 16_000, 16_000, 8_000);

    short[] up = resampleInPieces(input, 16_000, 24_000, 1_000);
    short[] odd = resampleInPieces(input, 16_000, 22_050, 777);

    assertEquals(24_000, up.length);
    assertEquals(22_050, odd.length);
    assertEquals(8_000, amplitudeAt(up, 440, 24_000), 250);
    assertEquals(8_000, amplitudeAt(odd, 440, 22_050), 250);
  }

  @Test
  void chunkingDoesNotChangeTheResult() {
    short[] input = tone(700, 16_000, 4_000, 5_000);

    assertArrayEqualsShort(
        resampleInPieces(input, 16_000, 8_000, 4_000), resampleInPieces(input, 16_000, 8_000, 33));
  }

  private static void assertArrayEqualsShort(short[] expected, short[] actual) {
    assertTrue(Arrays.equals(expected, actual), "outputs differ");
  }

  private static short[] decimate(short[] input) {
    short[] out = new short[input.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = input[2 * i];
    }
    return out;
  }
}
