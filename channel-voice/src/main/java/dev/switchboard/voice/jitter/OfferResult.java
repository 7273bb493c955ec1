package dev.switchboard.voice.jitter;

/** What the jitter buffer did with an arriving packet. */
public enum OfferResult {
  /** Stored for playout. */
  ACCEPTED,
  /** Already held or already played: ignored. */
  DUPLICATE,
  /** Its playout slot has passed: dropped (and the target delay grows). */
  TOO_LATE,
  /** Stored, but the buffer was full so the oldest packet was dropped. */
  ACCEPTED_OVERFLOW,
  /** Stored after a sequence jump so large the buffer restarted from it. */
  ACCEPTED_RESYNC
}
