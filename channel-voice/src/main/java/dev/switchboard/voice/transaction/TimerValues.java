package dev.switchboard.voice.transaction;

/**
 * RFC 3261 §17 base timers.
 *
 * @param t1 round-trip estimate (500 ms)
 * @param t2 maximum retransmit interval for non-INVITE requests and INVITE responses (4 s)
 * @param t4 maximum time a message stays in the network (5 s)
 */
public record TimerValues(long t1, long t2, long t4) {
  public static final TimerValues RFC3261 = new TimerValues(500, 4000, 5000);

  /** Timers B, F, H, J: 64*T1. */
  public long timeout() {
    return 64 * t1;
  }
}
