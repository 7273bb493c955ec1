package dev.switchboard.voice.transaction;

/**
 * Schedules protocol timers on the SIP thread. The transport implements it with Vert.x timers; a
 * test can implement it with a manual clock.
 */
public interface SipTimers {
  Cancellable schedule(long delayMs, Runnable task);

  /** A scheduled timer. */
  interface Cancellable {
    void cancel();
  }
}
