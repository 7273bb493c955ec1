package dev.switchboard.whatsapp.reply;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(max, base*2^n)).
 */
public final class Backoff {
  private final long baseMillis;
  private final long maxMillis;

  public Backoff(Duration base, Duration max) {
    this.baseMillis = Math.max(1, base.toMillis());
    this.maxMillis = Math.max(baseMillis, max.toMillis());
  }

  /** Delay before retry number {@code retry} (0 for the first retry). */
  public long delayMillis(int retry) {
    long ceiling = retry >= 30 ? maxMillis : Math.min(maxMillis, baseMillis << retry);
    return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
  }
}
