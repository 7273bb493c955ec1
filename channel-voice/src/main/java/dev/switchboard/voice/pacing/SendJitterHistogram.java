package dev.switchboard.voice.pacing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Histogram of send lateness (actual minus scheduled send time) with 10 µs buckets up to 200 ms;
 * later sends land in the last bucket. Written by the scheduler thread, readable from any thread.
 */
public final class SendJitterHistogram {

  private static final long BUCKET_NANOS = 10_000;
  private static final int BUCKETS = 20_000;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private volatile long maxNanos;

  /** Records one send's lateness; early sends (negative) count as zero. */
  public void record(long latenessNanos) {
    long clamped = Math.max(0, latenessNanos);
    int bucket = (int) Math.min(BUCKETS - 1, clamped / BUCKET_NANOS);
    counts.incrementAndGet(bucket);
    if (clamped > maxNanos) {
      maxNanos = clamped;
    }
  }

  /** Sends recorded. */
  public long count() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /**
   * Sends at least {@code nanos} late, at bucket resolution (the count of every bucket whose lower
   * edge is at or above {@code nanos}, rounded down to a bucket edge).
   */
  public long countAtLeast(long nanos) {
    long total = 0;
    for (int i = (int) Math.min(BUCKETS - 1, Math.max(0, nanos) / BUCKET_NANOS); i < BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /**
   * The lateness below which {@code quantile} (0..1) of sends fall, in microseconds, at bucket
   * resolution (upper edge of the bucket).
   */
  public double percentileMicros(double quantile) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return (i + 1) * BUCKET_NANOS / 1000.0;
      }
    }
    return BUCKETS * BUCKET_NANOS / 1000.0;
  }

  /** The worst lateness seen, in microseconds. */
  public double maxMicros() {
    return maxNanos / 1000.0;
  }

  /** Forgets everything (e.g. after a warm-up). */
  public void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
    maxNanos = 0;
  }
}
