package dev.switchboard.voice.jitter;

/** What to play for one frame tick. */
public sealed interface Playout {

  /** The packet due now. */
  record Frame(long extendedSequence, long timestamp, byte[] payload) implements Playout {}

  /** The packet due now is missing (lost or too late): conceal it. */
  record Lost(long extendedSequence) implements Playout {}

  /** Nothing to play yet: the buffer is filling to its target delay (start, or after underrun). */
  record Buffering() implements Playout {}
}
