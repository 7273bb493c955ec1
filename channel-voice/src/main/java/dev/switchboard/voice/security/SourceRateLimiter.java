package dev.switchboard.voice.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token bucket per source IP. Memory is bounded: past {@code maxSources} the least recently seen
 * source is forgotten (which only ever makes the limiter more lenient to that source). Not
 * thread-safe; used on the SIP thread.
 */
public final class SourceRateLimiter {
  private static final class Bucket {
    double tokens;
    long lastNanos;
  }

  private final double ratePerSecond;
  private final double burst;
  private final Map<String, Bucket> buckets;

  public SourceRateLimiter(double ratePerSecond, double burst, int maxSources) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.buckets =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxSources;
          }
        };
  }

  /** Takes one token for the source; false when it is over its rate. */
  public boolean tryAcquire(String source, long nowNanos) {
    Bucket b = buckets.get(source);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.lastNanos = nowNanos;
      buckets.put(source, b);
    }
    double elapsed = (nowNanos - b.lastNanos) / 1e9;
    b.tokens = Math.min(burst, b.tokens + elapsed * ratePerSecond);
    b.lastNanos = nowNanos;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }
}
