package dev.switchboard.whatsapp.reply;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps sends under Meta's limits: a rate per business number (default 80/s) and, per person, a
 * burst followed by one message per interval (Meta advises about one per 6 s in sustained traffic,
 * error 131056 beyond). Each limit is a virtual-scheduling token bucket (GCRA): a send reserves its
 * slot and learns how long to wait for it.
 */
public final class Pacer {
  private final long numberIntervalNanos;
  private final long numberBurst;
  private final long userIntervalNanos;
  private final long userBurst;
  private final LongSupplier clock;
  private final Map<String, long[]> numberSlots = new ConcurrentHashMap<>();
  private final Map<String, long[]> userSlots = new ConcurrentHashMap<>();

  public Pacer(int perNumberPerSecond, int perUserBurst, Duration perUserInterval) {
    this(perNumberPerSecond, perUserBurst, perUserInterval, System::nanoTime);
  }

  Pacer(int perNumberPerSecond, int perUserBurst, Duration perUserInterval, LongSupplier clock) {
    this.numberIntervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perNumberPerSecond);
    this.numberBurst = Math.max(1, perNumberPerSecond);
    this.userIntervalNanos = Math.max(1, perUserInterval.toNanos());
    this.userBurst = Math.max(1, perUserBurst);
    this.clock = clock;
  }

  /** Reserves a slot for one send and returns how long to wait before making it, in nanos. */
  public long reserve(String phoneNumberId, String subjectId) {
    long now = clock.getAsLong();
    long numberWait = take(numberSlots, phoneNumberId, now, numberIntervalNanos, numberBurst);
    long userWait =
        take(userSlots, phoneNumberId + ":" + subjectId, now, userIntervalNanos, userBurst);
    return Math.max(numberWait, userWait);
  }

  /** Reserves and sleeps until the slot. */
  public void await(String phoneNumberId, String subjectId) {
    long wait = reserve(phoneNumberId, subjectId);
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pacing", e);
      }
    }
  }

  private static long take(
      Map<String, long[]> slots, String key, long now, long interval, long burst) {
    long[] theoretical = slots.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE});
    synchronized (theoretical) {
      long tat = theoretical[0] == Long.MIN_VALUE ? now : Math.max(theoretical[0], now);
      long earliest = tat - (burst - 1) * interval;
      long wait = Math.max(0, earliest - now);
      theoretical[0] = tat + interval;
      return wait;
    }
  }
}
