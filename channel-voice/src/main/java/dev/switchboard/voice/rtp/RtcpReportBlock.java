package dev.switchboard.voice.rtp;

/**
 * One reception report block (RFC 3550 section 6.4.1) about one source we receive.
 *
 * @param ssrc the source this block reports on
 * @param fractionLost packets lost since the previous report, as a fraction of 256 (0..255)
 * @param cumulativeLost packets lost since the start, signed 24-bit (duplicates make it negative)
 * @param extendedHighestSequence cycles << 16 | highest sequence number received
 * @param interarrivalJitter RFC 3550 A.8 jitter estimate in RTP timestamp units
 * @param lastSenderReport middle 32 bits of the NTP timestamp of the last SR received, 0 if none
 * @param delaySinceLastSenderReport delay since that SR in units of 1/65536 s, 0 if none
 */
public record RtcpReportBlock(
    long ssrc,
    int fractionLost,
    int cumulativeLost,
    long extendedHighestSequence,
    long interarrivalJitter,
    long lastSenderReport,
    long delaySinceLastSenderReport) {

  /** Octets of one block on the wire. */
  public static final int LENGTH = 24;

  /** The loss fraction as a value in 0.0..1.0 (for metrics). */
  public double fractionLostRatio() {
    return fractionLost / 256.0;
  }
}
