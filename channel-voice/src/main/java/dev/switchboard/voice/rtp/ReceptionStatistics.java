package dev.switchboard.voice.rtp;

/**
 * Per-source reception statistics for RTCP receiver reports, as in RFC 3550 appendix A: sequence
 * tracking with wrap-around (A.1), expected/lost packets and the loss fraction per interval (A.3),
 * and the interarrival jitter estimate (A.8).
 *
 * <p>The source is trusted from its first packet (signalling already chose it), so there is no
 * probation period. Not thread-safe: one instance per call, fed from the call's receive path.
 */
public final class ReceptionStatistics {

  private static final int MAX_DROPOUT = 3000;
  private static final int MAX_MISORDER = 100;
  private static final int SEQ_MOD = RtpConstants.SEQUENCE_MODULUS;

  private final long ssrc;
  private final int clockRate;
  private boolean started;
  private int maxSeq;
  private long cycles;
  private int baseSeq;
  private int badSeq = SEQ_MOD + 1;
  private long received;
  private long expectedPrior;
  private long receivedPrior;
  private long lastTransit;
  private boolean haveTransit;
  private double jitter;
  private long lastSenderReportCompactNtp;
  private long lastSenderReportArrivalNanos;

  /**
   * @param ssrc the source reported on
   * @param clockRate the payload clock in Hz (8000 for G.711)
   */
  public ReceptionStatistics(long ssrc, int clockRate) {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
  }

  /**
   * Records one received packet.
   *
   * @param sequenceNumber the packet's 16-bit sequence number
   * @param rtpTimestamp the packet's RTP timestamp
   * @param arrivalNanos arrival time on a monotonic clock ({@link System#nanoTime()})
   * @return false if the packet was judged to come from a restarted or jumping source and ignored
   */
  public boolean onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
    if (!started) {
      started = true;
      initSequence(sequenceNumber);
    } else if (!updateSequence(sequenceNumber)) {
      return false;
    }
    received++;
    updateJitter(rtpTimestamp, arrivalNanos);
    return true;
  }

  /** Notes an SR from this source so the next report block can echo LSR/DLSR. */
  public void onSenderReport(RtcpPacket.SenderReport report, long arrivalNanos) {
    lastSenderReportCompactNtp = report.compactNtp();
    lastSenderReportArrivalNanos = arrivalNanos;
  }

  /** Extended highest sequence number received (cycles << 16 | max). */
  public long extendedHighestSequence() {
    return cycles + maxSeq;
  }

  /** Packets expected since the first one (A.3). */
  public long expected() {
    return started ? extendedHighestSequence() - baseSeq + 1 : 0;
  }

  /** Packets received, including duplicates. */
  public long received() {
    return received;
  }

  /** Cumulative packets lost (A.3), clamped to the signed 24-bit RTCP field. */
  public int cumulativeLost() {
    long lost = expected() - received;
    return (int) Math.max(-0x800000L, Math.min(0x7FFFFFL, lost));
  }

  /** Current interarrival jitter in RTP timestamp units (A.8). */
  public long jitterTimestampUnits() {
    return (long) jitter;
  }

  /** Current interarrival jitter in milliseconds, for metrics. */
  public double jitterMillis() {
    return jitter * 1000.0 / clockRate;
  }

  /**
   * Builds the report block for this source and starts a new loss interval (A.3), so call it once
   * per report sent.
   */
  public RtcpReportBlock buildReportBlock(long nowNanos) {
    long expected = expected();
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = received - receivedPrior;
    expectedPrior = expected;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval == 0 || lostInterval <= 0
            ? 0
            : (int) ((lostInterval << 8) / expectedInterval);
    long delaySinceLastSr = 0;
    if (lastSenderReportCompactNtp != 0) {
      delaySinceLastSr = ((nowNanos - lastSenderReportArrivalNanos) * 65536L) / 1_000_000_000L;
    }
    return new RtcpReportBlock(
        ssrc,
        Math.min(fraction, 255),
        cumulativeLost(),
        extendedHighestSequence() & 0xFFFFFFFFL,
        jitterTimestampUnits(),
        lastSenderReportCompactNtp,
        delaySinceLastSr & 0xFFFFFFFFL);
  }

  private void initSequence(int seq) {
    baseSeq = seq;
    maxSeq = seq;
    badSeq = SEQ_MOD + 1;
    cycles = 0;
    received = 0;
    receivedPrior = 0;
    expectedPrior = 0;
  }

  private boolean updateSequence(int seq) {
    int delta = (seq - maxSeq) & (SEQ_MOD - 1);
    if (delta < MAX_DROPOUT) {
      if (seq < maxSeq) {
        cycles += SEQ_MOD; // wrapped
      }
      maxSeq = seq;
    } else if (delta <= SEQ_MOD - MAX_MISORDER) {
      // A very large jump: accept only if the next packet confirms the new numbering.
      if (seq == badSeq) {
        initSequence(seq);
        haveTransit = false;
      } else {
        badSeq = (seq + 1) & (SEQ_MOD - 1);
        return false;
      }
    }
    // else: duplicate or reordered packet, counted as received
    return true;
  }

  private void updateJitter(long rtpTimestamp, long arrivalNanos) {
    // via microseconds so the product cannot overflow for any nanoTime value
    long arrival = Math.floorDiv(Math.floorDiv(arrivalNanos, 1000L) * clockRate, 1_000_000L);
    long transit = arrival - rtpTimestamp;
    if (haveTransit) {
      long d = Math.abs(transit - lastTransit);
      if (d < (1L << 31)) { // ignore timestamp wrap artefacts
        jitter += (d - jitter) / 16.0;
      }
    }
    lastTransit = transit;
    haveTransit = true;
  }
}
