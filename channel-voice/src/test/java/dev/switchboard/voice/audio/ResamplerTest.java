package dev.switchboard.voice.audio;

import static dev.switchboard.voice.testsupport.TestAudio.amplitudeAt;
import static dev.switchboard.voice.testsupport.TestAudio.rms;
import static dev.switchboard.voice.testsupport.TestAudio.tone;
import static dev.switchboard.voice.testsupport.TestAudio.zeroCrossingFrequency;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

  private static final double AMPLITUDE = 10_000;

  @ParameterizedTest(name = "{0} Hz -> 8000 Hz")
  @ValueSource(ints = {16_000, 22_050, 24_000})
  void downsamplingAttenuatesAToneAboveTheNewNyquistByAtLeast40Db(int rate) {
    for (double frequency : new double[] {4_500, 6_000, 7_900}) {
      short[] in = tone(frequency, AMPLITUDE, rate, rate * 2);
      short[] out = resampleInFrames(new Resampler(rate, 8000), in, rate / 50);

      double residual = rms(out, 800, out.length - 800); // skip the filter's start
      double inputRms = AMPLITUDE / Math.sqrt(2);
      double attenuationDb = 20 * Math.log10(inputRms / Math.max(residual, 1e-9));
      assertTrue(attenuationDb >= 40, frequency + " Hz only down " + attenuationDb + " dB");
    }
  }

  @ParameterizedTest(name = "8000 Hz <-> {0} Hz")
  @ValueSource(ints = {16_000, 22_050, 24_000})
  void anInBandToneKeepsItsAmplitudeAndFrequencyBothWays(int rate) {
    for (double frequency : new double[] {300, 1_000, 3_000}) {
      short[] narrow = tone(frequency, AMPLITUDE, 8000, 16_000);
      short[] wide = resampleInFrames(new Resampler(8000, rate), narrow, 160);
      assertEquals(narrow.length * (long) rate / 8000, wide.length, 1.0, "output length");
      assertTone(wide, rate, frequency);

      short[] back = resampleInFrames(new Resampler(rate, 8000), wide, rate / 50);
      assertTone(back, 8000, frequency);
    }
  }

  @ParameterizedTest(name = "8000 Hz -> {0} Hz")
  @ValueSource(ints = {16_000, 22_050, 24_000})
  void upsamplingSuppressesTheSpectralImage(int rate) {
    short[] narrow = tone(3_000, AMPLITUDE, 8000, 16_000);
    short[] wide = resampleInFrames(new Resampler(8000, rate), narrow, 160);
    // Zero-stuffing mirrors 3 kHz to 8 kHz - 3 kHz = 5 kHz.
    double image = amplitudeAt(wide, rate / 10, wide.length - rate / 10, 5_000, rate);
    assertTrue(20 * Math.log10(AMPLITUDE / image) >= 40, "image at " + image);
  }

  @ParameterizedTest(name = "8000 Hz -> {0} Hz")
  @ValueSource(ints = {16_000, 22_050, 24_000})
  void chunkingDoesNotChangeTheResult(int rate) {
    short[] narrow = tone(440, AMPLITUDE, 8000, 8_000);
    short[] whole = new Resampler(8000, rate).process(narrow);
    short[] framed = resampleInFrames(new Resampler(8000, rate), narrow, 160);
    short[] odd = resampleInFrames(new Resampler(8000, rate), narrow, 37);
    assertEquals(whole.length, framed.length);
    assertEquals(java.util.Arrays.toString(whole), java.util.Arrays.toString(framed));
    assertEquals(java.util.Arrays.toString(whole), java.util.Arrays.toString(odd));
  }

  private static void assertTone(short[] signal, int rate, double frequency) {
    int from = rate / 10;
    int to = signal.length - rate / 10;
    double amplitude = amplitudeAt(signal, from, to, frequency, rate);
    assertEquals(AMPLITUDE, amplitude, AMPLITUDE * 0.06, frequency + " Hz amplitude at " + rate);
    assertEquals(
        frequency,
        zeroCrossingFrequency(signal, from, to, rate),
        frequency * 0.005,
        "frequency at " + rate);
  }

  private static short[] resampleInFrames(Resampler resampler, short[] in, int frame) {
    java.util.List<short[]> parts = new java.util.ArrayList<>();
    for (int at = 0; at < in.length; at += frame) {
      parts.add(resampler.process(in, at, Math.min(frame, in.length - at)));
    }
    return dev.switchboard.voice.testsupport.TestAudio.concat(parts.toArray(new short[0][]));
  }
}
