package dev.switchboard.safety.cases;

import java.time.Duration;
import java.time.Instant;

/**
 * Open cases in one queue.
 *
 * @param open open cases
 * @param unclaimed open cases nobody holds a live claim on
 * @param oldestOpenedAt when the oldest open case was opened, or null when empty
 */
public record QueueStats(Queue queue, long open, long unclaimed, Instant oldestOpenedAt) {

  public Duration oldestAge(Instant now) {
    return oldestOpenedAt == null ? Duration.ZERO : Duration.between(oldestOpenedAt, now);
  }

  /** "3m", "2h 5m", "1d 4h" — for the queue page. */
  public String oldestAgeText(Instant now) {
    if (oldestOpenedAt == null) {
      return "-";
    }
    long minutes = oldestAge(now).toMinutes();
    if (minutes < 60) {
      return minutes + "m";
    }
    if (minutes < 24 * 60) {
      return (minutes / 60) + "h " + (minutes % 60) + "m";
    }
    return (minutes / (24 * 60)) + "d " + ((minutes / 60) % 24) + "h";
  }
}
