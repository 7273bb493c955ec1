package dev.switchboard.voice.pacing;

/** Something that sends one media frame per tick of the shared {@link PacedScheduler}. */
@FunctionalInterface
public interface PacedStream {

  /**
   * Called on the scheduler thread once per frame interval. Must not block: take the next frame,
   * encode, hand the datagram to a non-blocking socket, return.
   *
   * @param scheduledNanos when this send was due on the stream's 20 ms grid
   * @param nowNanos when it actually runs
   */
  void onTick(long scheduledNanos, long nowNanos);
}
