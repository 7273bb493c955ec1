package dev.switchboard.voice.jitter;

import java.util.Map;
import java.util.TreeMap;

/**
 * Adaptive jitter buffer for one incoming RTP stream with fixed packetization.
 *
 * <p>The receive path calls {@link #offer}; the playout clock calls {@link #poll()} once per frame.
 * Packets are held by extended (wrap-free) sequence number, so reordering and duplicates are
 * resolved before playout and sequence wrap-around at 65535 is invisible. A missing packet is
 * reported as {@link Playout.Lost} when its slot comes, so the caller conceals it.
 *
 * <p>The target delay follows the measured interarrival jitter J (RFC 3550 A.8, in ms): {@code
 * target = frame + 4 J}, rounded up to whole frames and clamped to the configured limits; every
 * late packet also raises it by one frame at once. Playout starts (and restarts after an underrun)
 * when the buffered audio reaches the target, which is how the delay grows. When more than one
 * frame above target is buffered, one frame is skipped per {@value #CATCH_UP_INTERVAL} ticks, which
 * is how it shrinks after a burst.
 *
 * <p>Not thread-safe: the owner serialises offer and poll (both run on the call's event loop).
 */
public final class JitterBuffer {

  /** At most one frame is skipped per this many ticks while catching up. */
  static final int CATCH_UP_INTERVAL = 5;

  /** Sequence jumps larger than this (in frames) restart the buffer: the sender restarted. */
  static final int RESYNC_DISTANCE = 1000;

  /** How many played sequence numbers are remembered to tell duplicates from late packets. */
  private static final int RECENT_WINDOW = 64;

  private enum State {
    BUFFERING,
    PLAYING
  }

  private final JitterBufferConfig config;
  private final TreeMap<Long, Playout.Frame> packets = new TreeMap<>();
  private final long[] recentlyPlayed = new long[RECENT_WINDOW];
  private State state = State.BUFFERING;
  private boolean anyPacket;
  private long highestExtended;
  private long nextToPlay;
  private boolean playedAny;
  private double jitterMillis;
  private boolean haveTransit;
  private double lastTransitMillis;
  private int lateBoostFrames;
  private int ticksSinceCatchUp;
  private long played;
  private long concealed;
  private long duplicates;
  private long late;
  private long overflowDropped;
  private long catchUpDropped;
  private long underruns;

  public JitterBuffer(JitterBufferConfig config) {
    this.config = config;
    java.util.Arrays.fill(recentlyPlayed, -1);
    // Seed the estimate so the first target equals the configured initial delay.
    this.jitterMillis = (config.initialDelayMillis() - config.frameMillis()) / 4.0;
  }

  /**
   * Accepts one arriving packet.
   *
   * @param sequenceNumber the 16-bit RTP sequence number
   * @param timestamp the RTP timestamp (kept with the frame)
   * @param payload the packet payload
   * @param arrivalNanos monotonic arrival time, for the jitter estimate
   */
  public OfferResult offer(int sequenceNumber, long timestamp, byte[] payload, long arrivalNanos) {
    long extended = extend(sequenceNumber);
    updateJitter(extended, arrivalNanos);
    OfferResult result = OfferResult.ACCEPTED;
    if (anyPacket && Math.abs(extended - highestExtended) > RESYNC_DISTANCE) {
      packets.clear();
      state = State.BUFFERING;
      playedAny = false;
      highestExtended = extended;
      java.util.Arrays.fill(recentlyPlayed, -1);
      result = OfferResult.ACCEPTED_RESYNC;
    }
    if (playedAny && extended < nextToPlay) {
      if (duplicatePlayed(extended)) {
        duplicates++;
        return OfferResult.DUPLICATE;
      }
      late++;
      lateBoostFrames = Math.min(lateBoostFrames + 1, maxFrames());
      return OfferResult.TOO_LATE;
    }
    if (packets.containsKey(extended)) {
      duplicates++;
      return OfferResult.DUPLICATE;
    }
    if (!anyPacket || extended > highestExtended) {
      highestExtended = extended;
    }
    anyPacket = true;
    packets.put(extended, new Playout.Frame(extended, timestamp, payload));
    if (packets.size() > config.capacityFrames()) {
      packets.pollFirstEntry();
      overflowDropped++;
      if (result == OfferResult.ACCEPTED) {
        result = OfferResult.ACCEPTED_OVERFLOW;
      }
    }
    return result;
  }

  /** Called once per frame interval by the playout clock: what to play now. */
  public Playout poll() {
    if (state == State.BUFFERING) {
      if (packets.isEmpty() || bufferedMillis() < targetDelayMillis()) {
        return new Playout.Buffering();
      }
      state = State.PLAYING;
      if (!playedAny) {
        nextToPlay = packets.firstKey(); // after an underrun we resume where we left off
      }
      playedAny = true;
    }
    if (packets.isEmpty()) {
      underruns++;
      state = State.BUFFERING;
      return new Playout.Buffering();
    }
    catchUpIfTooDeep();
    Playout.Frame frame = packets.remove(nextToPlay);
    long slot = nextToPlay++;
    if (frame == null) {
      concealed++;
      return new Playout.Lost(slot);
    }
    played++;
    recentlyPlayed[(int) (slot & (RECENT_WINDOW - 1))] = slot;
    if (lateBoostFrames > 0 && played % 50 == 0) {
      lateBoostFrames--; // a late packet's boost wears off after about a second of clean play
    }
    return frame;
  }

  /** The delay the buffer is currently aiming for. */
  public int targetDelayMillis() {
    int frame = config.frameMillis();
    double wanted = frame + 4 * jitterMillis + lateBoostFrames * (double) frame;
    int frames = (int) Math.ceil(wanted / frame - 1e-9);
    return Math.max(config.minDelayMillis(), Math.min(config.maxDelayMillis(), frames * frame));
  }

  /** Audio held, from the next frame to play to the newest packet, in ms. */
  public int bufferedMillis() {
    if (packets.isEmpty()) {
      return 0;
    }
    long from = playedAny ? Math.min(nextToPlay, packets.firstKey()) : packets.firstKey();
    return (int) ((packets.lastKey() - from + 1) * config.frameMillis());
  }

  /** The interarrival jitter estimate in ms (RFC 3550 A.8). */
  public double jitterMillis() {
    return jitterMillis;
  }

  /** Counters since creation. */
  public JitterBufferStats stats() {
    return new JitterBufferStats(
        played, concealed, duplicates, late, overflowDropped, catchUpDropped, underruns);
  }

  private void catchUpIfTooDeep() {
    ticksSinceCatchUp++;
    int excess = bufferedMillis() - targetDelayMillis();
    if (excess > config.frameMillis() && ticksSinceCatchUp >= CATCH_UP_INTERVAL) {
      Map.Entry<Long, Playout.Frame> skipped = packets.firstEntry();
      if (skipped.getKey() == nextToPlay) {
        packets.pollFirstEntry();
        catchUpDropped++;
      }
      nextToPlay++;
      ticksSinceCatchUp = 0;
    }
  }

  private boolean duplicatePlayed(long extended) {
    return recentlyPlayed[(int) (extended & (RECENT_WINDOW - 1))] == extended;
  }

  private long extend(int sequenceNumber) {
    if (!anyPacket) {
      return sequenceNumber;
    }
    int delta = (short) (sequenceNumber - (int) (highestExtended & 0xFFFF));
    return highestExtended + delta;
  }

  private void updateJitter(long extended, long arrivalNanos) {
    double arrivalMillis = arrivalNanos / 1_000_000.0;
    double transit = arrivalMillis - extended * config.frameMillis();
    if (haveTransit) {
      double d = Math.abs(transit - lastTransitMillis);
      if (d < 10_000) {
        jitterMillis += (d - jitterMillis) / 16.0;
      }
    }
    lastTransitMillis = transit;
    haveTransit = true;
  }

  private int maxFrames() {
    return config.maxDelayMillis() / config.frameMillis();
  }
}
