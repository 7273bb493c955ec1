package dev.switchboard.voice.jitter;

/**
 * Counters of one jitter buffer since it was made, for metrics and tests.
 *
 * @param played frames played from real packets
 * @param concealed frames played as concealment because their packet was missing
 * @param duplicates packets ignored as duplicates
 * @param late packets that arrived after their slot
 * @param overflowDropped packets dropped because the buffer was full
 * @param catchUpDropped packets skipped to bring the delay back down to target
 * @param underruns times the buffer ran empty while playing
 */
public record JitterBufferStats(
    long played,
    long concealed,
    long duplicates,
    long late,
    long overflowDropped,
    long catchUpDropped,
    long underruns) {}
