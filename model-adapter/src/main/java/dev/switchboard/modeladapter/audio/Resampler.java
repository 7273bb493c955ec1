package dev.switchboard.modeladapter.audio;

/**
 * Streaming sample-rate converter for mono 16-bit PCM: a polyphase windowed-sinc (Blackman)
 * low-pass interpolator. The cut-off sits just below the lower of the two Nyquist frequencies, so
 * downsampling (16 kHz to 8 kHz for a phone line) removes what would otherwise alias, instead of
 * dropping samples.
 *
 * <p>Feed input with {@link #process}, then call {@link #flush} once at the end. The output has
 * {@code floor(inputSamples * outRate / inRate)} samples in total and is delayed by nothing (the
 * filter is centred, the tail is produced by {@code flush}). Not thread-safe: one instance per
 * stream.
 */
public final class Resampler {

  private static final int ZERO_CROSSINGS = 16;
  private static final double ROLL_OFF = 0.92;
  private static final int MAX_CACHED_PHASES = 4096;

  private final int up;
  private final int down;
  private final int half;
  private final double cutoff;
  private final float[][] phases;
  private final boolean passThrough;

  private float[] buffer = new float[8192];
  private long bufferStart = -1; // absolute index of buffer[0]; starts before 0 for zero padding
  private int bufferLength;
  private long inputCount;
  private long nextOutput;
  private boolean flushed;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive");
    }
    int gcd = gcd(inRate, outRate);
    this.up = outRate / gcd;
    this.down = inRate / gcd;
    this.passThrough = up == down;
    this.cutoff = Math.min(1.0, (double) up / down) * ROLL_OFF;
    this.half = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
    this.phases = up <= MAX_CACHED_PHASES ? buildPhases() : null;
    // Pretend half zeros precede the signal so the first outputs have a full window.
    this.bufferStart = -half;
    this.bufferLength = half;
  }

  /** Converts the next piece of input; returns what can be produced so far (may be empty). */
  public short[] process(short[] input) {
    if (flushed) {
      throw new IllegalStateException("resampler already flushed");
    }
    if (passThrough) {
      inputCount += input.length;
      return input.clone();
    }
    append(input, input.length);
    inputCount += input.length;
    return produce(false);
  }

  /** Produces the remaining output once the input has ended. */
  public short[] flush() {
    if (flushed) {
      return new short[0];
    }
    flushed = true;
    if (passThrough) {
      return new short[0];
    }
    append(new short[half + 1], half + 1);
    return produce(true);
  }

  private short[] produce(boolean atEnd) {
    long available = bufferStart + bufferLength; // absolute index one past the last sample
    long totalOutputs = atEnd ? inputCount * up / down : Long.MAX_VALUE;
    int capacity = (int) Math.max(0, ((available - half) * up) / down - nextOutput + 2);
    short[] out = new short[Math.max(0, capacity)];
    int produced = 0;
    while (nextOutput < totalOutputs) {
      long position = nextOutput * down;
      long index = position / up;
      int phase = (int) (position % up);
      if (index + half >= available || produced >= out.length) {
        break;
      }
      double sum = 0;
      int start = (int) (index - half + 1 - bufferStart);
      if (phases != null) {
        sum = dot(buffer, start, phases[phase]);
      } else {
        for (int j = 0; j < 2 * half; j++) {
          sum += buffer[start + j] * kernel((double) phase / up + half - 1 - j);
        }
      }
      out[produced++] = clip(sum);
      nextOutput++;
    }
    discardBefore((nextOutput * down) / up - half + 1);
    return produced == out.length ? out : java.util.Arrays.copyOf(out, produced);
  }

  /**
   * The filter's output at one instant: taps times the window of input starting at {@code start}.
   * Four independent partial sums instead of one, so each multiply-add does not wait for the one
   * before it; this loop is most of the CPU a synthesized reply costs this service.
   */
  private static double dot(float[] input, int start, float[] taps) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (int last = taps.length - 3; j < last; j += 4) {
      s0 += input[start + j] * taps[j];
      s1 += input[start + j + 1] * taps[j + 1];
      s2 += input[start + j + 2] * taps[j + 2];
      s3 += input[start + j + 3] * taps[j + 3];
    }
    for (; j < taps.length; j++) {
      s0 += input[start + j] * taps[j];
    }
    return (double) s0 + s1 + s2 + s3;
  }

  private float[][] buildPhases() {
    float[][] table = new float[up][2 * half];
    for (int phase = 0; phase < up; phase++) {
      for (int j = 0; j < 2 * half; j++) {
        table[phase][j] = (float) kernel((double) phase / up + half - 1 - j);
      }
    }
    return table;
  }

  /** Windowed sinc at distance {@code d} input samples from the output instant. */
  private double kernel(double d) {
    double x = d / half;
    if (Math.abs(x) >= 1) {
      return 0;
    }
    double window = 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
    double arg = Math.PI * cutoff * d;
    double sinc = arg == 0 ? 1 : Math.sin(arg) / arg;
    return cutoff * sinc * window;
  }

  private void append(short[] input, int length) {
    if (bufferLength + length > buffer.length) {
      float[] bigger = new float[Math.max(buffer.length * 2, bufferLength + length)];
      System.arraycopy(buffer, 0, bigger, 0, bufferLength);
      buffer = bigger;
    }
    for (int i = 0; i < length; i++) {
      buffer[bufferLength + i] = input[i];
    }
    bufferLength += length;
  }

  private void discardBefore(long absoluteIndex) {
    int drop = (int) Math.min(bufferLength, Math.max(0, absoluteIndex - bufferStart));
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
  }

  private static short clip(double value) {
    long rounded = Math.round(value);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
