package dev.switchboard.voice.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Audio for tests: fixture WAV files, generated tones and noise, and measurements. */
public final class TestAudio {

  private TestAudio() {}

  /** Reads a 16-bit mono PCM WAV from the test classpath ({@code /audio/...}). */
  public static short[] readWav(String resource) {
    try (InputStream in = TestAudio.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      int position = 12; // after "RIFF" size "WAVE"
      while (position + 8 <= bytes.limit()) {
        String id =
            new String(bytes.array(), position, 4, java.nio.charset.StandardCharsets.US_ASCII);
        int size = bytes.getInt(position + 4);
        if (id.equals("fmt ")) {
          int format = bytes.getShort(position + 8);
          int channels = bytes.getShort(position + 10);
          int bits = bytes.getShort(position + 22);
          if (format != 1 || channels != 1 || bits != 16) {
            throw new IllegalArgumentException(resource + " is not 16-bit mono PCM");
          }
        } else if (id.equals("data")) {
          short[] samples = new short[size / 2];
          for (int i = 0; i < samples.length; i++) {
            samples[i] = bytes.getShort(position + 8 + 2 * i);
          }
          return samples;
        }
        position += 8 + size + (size & 1);
      }
      throw new IllegalArgumentException(resource + " has no data chunk");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A sine tone. */
  public static short[] tone(double frequency, double amplitude, int sampleRate, int samples) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
    }
    return out;
  }

  /** Gaussian white noise with the given RMS level in dBFS. */
  public static short[] whiteNoise(double rmsDbfs, int samples, long seed) {
    Random random = new Random(seed);
    double sigma = 32768 * Math.pow(10, rmsDbfs / 20);
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * sigma)));
    }
    return out;
  }

  /** Root mean square over [from, to). */
  public static double rms(short[] samples, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) samples[i] * samples[i];
    }
    return Math.sqrt(sum / Math.max(1, to - from));
  }

  /** Amplitude of the component at {@code frequency} over [from, to) (a single-bin DFT). */
  public static double amplitudeAt(
      short[] samples, int from, int to, double frequency, int sampleRate) {
    double re = 0;
    double im = 0;
    for (int i = from; i < to; i++) {
      double angle = 2 * Math.PI * frequency * i / sampleRate;
      re += samples[i] * Math.cos(angle);
      im += samples[i] * Math.sin(angle);
    }
    return 2 * Math.hypot(re, im) / (to - from);
  }

  /** Frequency estimated from rising zero crossings over [from, to). */
  public static double zeroCrossingFrequency(short[] samples, int from, int to, int sampleRate) {
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int i = from + 1; i < to; i++) {
      if (samples[i - 1] < 0 && samples[i] >= 0) {
        if (first < 0) {
          first = i;
        } else {
          crossings++;
        }
        last = i;
      }
    }
    return crossings * (double) sampleRate / (last - first);
  }

  /** Concatenates chunks. */
  public static short[] concat(short[]... parts) {
    int length = 0;
    for (short[] part : parts) {
      length += part.length;
    }
    short[] out = new short[length];
    int at = 0;
    for (short[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
