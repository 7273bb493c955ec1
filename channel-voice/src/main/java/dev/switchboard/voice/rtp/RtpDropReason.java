package dev.switchboard.voice.rtp;

/** Why an incoming datagram was not accepted as RTP. Each is counted, none throws. */
public enum RtpDropReason {
  /** Shorter than the 12-octet fixed header. */
  TOO_SHORT,
  /** Larger than the configured maximum datagram size. */
  TOO_LONG,
  /** Version field is not 2. */
  BAD_VERSION,
  /** The CSRC list runs past the end of the datagram. */
  CSRC_OVERRUN,
  /** The header extension runs past the end of the datagram. */
  EXTENSION_OVERRUN,
  /** The padding count is zero or larger than what follows the header. */
  BAD_PADDING,
  /** Payload type 72..76: an RTCP packet on a muxed port (RFC 5761), not RTP. */
  RTCP_ON_RTP_PORT
}
