package dev.switchboard.voice.audio;

/**
 * Streaming sample-rate converter for 16-bit mono PCM between any two rates with a rational ratio
 * (here 8 kHz and 16 / 22.05 / 24 kHz), using a polyphase windowed-sinc low-pass FIR.
 *
 * <p>The prototype filter is a sinc with its cutoff in the middle of the transition band from 85 %
 * to 100 % of the lower rate's Nyquist frequency (3.4 to 4 kHz for narrowband), shaped by a Kaiser
 * window designed for {@value #STOPBAND_ATTENUATION_DB} dB stopband attenuation. It serves both as
 * anti-imaging filter when upsampling and as anti-aliasing filter when downsampling, so the
 * telephone band (300-3400 Hz) passes flat and nothing folds back into it.
 *
 * <p>State (the last input samples) is kept between calls so audio can be fed in 20 ms chunks
 * without clicks. The filter adds a fixed delay of {@link #delayInputSamples()}. Not thread-safe:
 * one instance per direction per call; the coefficient tables are shared by all instances with the
 * same rates.
 */
public final class Resampler {

  /** Designed stopband attenuation. */
  public static final double STOPBAND_ATTENUATION_DB = 70.0;

  private static final double PASSBAND_FRACTION = 0.85;
  private static final java.util.concurrent.ConcurrentHashMap<Long, float[][]> FILTERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final int inputRate;
  private final int outputRate;
  private final int up;
  private final int down;
  private final float[][] phases;
  private final int taps;
  private float[] history;
  private long inputCount;
  private long outputCount;

  /**
   * @param inputRate samples per second in
   * @param outputRate samples per second out
   */
  public Resampler(int inputRate, int outputRate) {
    if (inputRate <= 0 || outputRate <= 0) {
      throw new IllegalArgumentException("rates must be positive");
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    int gcd = gcd(inputRate, outputRate);
    this.up = outputRate / gcd;
    this.down = inputRate / gcd;
    this.phases =
        FILTERS.computeIfAbsent(
            ((long) inputRate << 32) | outputRate, key -> design(inputRate, up, down));
    this.taps = phases[0].length;
    this.history = new float[taps - 1];
  }

  /** Input rate in Hz. */
  public int inputRate() {
    return inputRate;
  }

  /** Output rate in Hz. */
  public int outputRate() {
    return outputRate;
  }

  /** Taps of each polyphase branch (the per-output-sample cost). */
  public int tapsPerPhase() {
    return taps;
  }

  /** The filter's group delay, in input samples. */
  public double delayInputSamples() {
    return (taps - 1) / 2.0;
  }

  /** Converts a chunk; the output length varies by at most one sample between calls. */
  public short[] process(short[] input) {
    return process(input, 0, input.length);
  }

  /** Converts {@code length} samples of {@code input} from {@code offset}. */
  public short[] process(short[] input, int offset, int length) {
    if (up == down) {
      short[] copy = new short[length];
      System.arraycopy(input, offset, copy, 0, length);
      return copy;
    }
    int historyLength = taps - 1;
    float[] work = new float[historyLength + length];
    System.arraycopy(history, 0, work, 0, historyLength);
    for (int i = 0; i < length; i++) {
      work[historyLength + i] = input[offset + i];
    }
    long base = inputCount - historyLength; // global index of work[0]
    long available = inputCount + length;
    // Output j needs input floor(j * down / up); count outputs whose newest input has arrived.
    long lastOutputExclusive = Math.floorDiv(available * up + down - 1, down);
    int outputs = (int) Math.max(0, lastOutputExclusive - outputCount);
    short[] out = new short[outputs];
    for (int k = 0; k < outputs; k++) {
      long upsampledIndex = (outputCount + k) * down;
      int phase = (int) (upsampledIndex % up);
      int newest = (int) (upsampledIndex / up - base);
      float[] coefficients = phases[phase];
      float sum = 0f;
      for (int m = 0; m < taps; m++) {
        sum += coefficients[m] * work[newest - m];
      }
      out[k] = clamp(sum);
    }
    outputCount += outputs;
    inputCount = available;
    System.arraycopy(work, work.length - historyLength, history, 0, historyLength);
    return out;
  }

  /** Forgets all past input (e.g. between unrelated prompts). */
  public void reset() {
    history = new float[taps - 1];
    inputCount = 0;
    outputCount = 0;
  }

  private static short clamp(float value) {
    int rounded = Math.round(value);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
  }

  /** Designs the prototype at rate inputRate*up and splits it into {@code up} phases. */
  private static float[][] design(int inputRate, int up, int down) {
    double upsampledRate = (double) inputRate * up;
    double nyquist = Math.min(inputRate, (double) inputRate * up / down) / 2.0;
    double passEdge = PASSBAND_FRACTION * nyquist;
    double transition = nyquist - passEdge;
    double cutoff = (passEdge + nyquist) / 2.0;
    // Kaiser's estimates for order and beta (Oppenheim & Schafer 7.6).
    double attenuation = STOPBAND_ATTENUATION_DB;
    double beta = 0.1102 * (attenuation - 8.7);
    int order =
        (int) Math.ceil((attenuation - 7.95) / (2.285 * 2 * Math.PI * transition / upsampledRate));
    int tapsPerPhase = Math.max(2, (order + up) / up);
    int length = tapsPerPhase * up;
    double centre = (length - 1) / 2.0;
    double normalizedCutoff = cutoff / upsampledRate; // cycles per upsampled sample
    double besselBeta = besselI0(beta);
    float[][] phases = new float[up][tapsPerPhase];
    for (int n = 0; n < length; n++) {
      double t = n - centre;
      double sinc =
          t == 0
              ? 2 * normalizedCutoff
              : Math.sin(2 * Math.PI * normalizedCutoff * t) / (Math.PI * t);
      double ratio = t / centre;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselBeta;
      // Gain 'up' restores the level lost by inserting up-1 zeros between input samples.
      phases[n % up][n / up] = (float) (sinc * window * up);
    }
    return phases;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
