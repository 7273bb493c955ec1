package dev.switchboard.voice.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One RTP data packet (RFC 3550 section 5.1), version 2 implied.
 *
 * @param marker the M bit; for audio it marks the first packet of a talkspurt
 * @param payloadType 0..127
 * @param sequenceNumber 0..65535
 * @param timestamp 0..2^32-1, in units of the payload's clock
 * @param ssrc 0..2^32-1
 * @param csrcs contributing sources, at most 15 (each 0..2^32-1)
 * @param extension the header extension, or {@code null}
 * @param payload the payload with any padding removed
 * @param paddingLength padding octets that were (or will be) appended, 0 for none
 */
public record RtpPacket(
    boolean marker,
    int payloadType,
    int sequenceNumber,
    long timestamp,
    long ssrc,
    long[] csrcs,
    RtpHeaderExtension extension,
    byte[] payload,
    int paddingLength) {

  private static final long[] NO_CSRCS = new long[0];

  public RtpPacket {
    Objects.requireNonNull(payload, "payload");
    csrcs = csrcs == null ? NO_CSRCS : csrcs;
  }

  /** A plain audio packet: no CSRCs, no extension, no padding. */
  public static RtpPacket of(
      boolean marker,
      int payloadType,
      int sequenceNumber,
      long timestamp,
      long ssrc,
      byte[] payload) {
    return new RtpPacket(
        marker, payloadType, sequenceNumber, timestamp, ssrc, NO_CSRCS, null, payload, 0);
  }

  /** Whether the X bit is (to be) set. */
  public boolean hasExtension() {
    return extension != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RtpPacket that
        && marker == that.marker
        && payloadType == that.payloadType
        && sequenceNumber == that.sequenceNumber
        && timestamp == that.timestamp
        && ssrc == that.ssrc
        && paddingLength == that.paddingLength
        && Arrays.equals(csrcs, that.csrcs)
        && Objects.equals(extension, that.extension)
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(marker, payloadType, sequenceNumber, timestamp, ssrc)
        + 31 * Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "RtpPacket[pt="
        + payloadType
        + ", seq="
        + sequenceNumber
        + ", ts="
        + timestamp
        + ", ssrc="
        + Long.toHexString(ssrc)
        + (marker ? ", M" : "")
        + ", payload="
        + payload.length
        + "B]";
  }
}
