package dev.switchboard.voice.jitter;

/**
 * Limits of a {@link JitterBuffer}.
 *
 * @param frameMillis packetization interval (20 ms for our G.711 streams)
 * @param minDelayMillis the target delay never goes below this
 * @param maxDelayMillis nor above this
 * @param initialDelayMillis target before any jitter has been measured
 * @param capacityFrames packets held at most; on overflow the oldest is dropped
 */
public record JitterBufferConfig(
    int frameMillis,
    int minDelayMillis,
    int maxDelayMillis,
    int initialDelayMillis,
    int capacityFrames) {

  public JitterBufferConfig {
    if (frameMillis <= 0
        || minDelayMillis < frameMillis
        || maxDelayMillis < minDelayMillis
        || initialDelayMillis < minDelayMillis
        || initialDelayMillis > maxDelayMillis
        || capacityFrames * frameMillis < maxDelayMillis) {
      throw new IllegalArgumentException("inconsistent jitter buffer limits: " + this);
    }
  }

  /** 20 ms frames, 40..300 ms delay starting at 60 ms, room for 1 s of packets. */
  public static JitterBufferConfig defaults() {
    return new JitterBufferConfig(20, 40, 300, 60, 50);
  }
}
