package dev.switchboard.voice.rtp;

/** The outcome of parsing one datagram: a packet, or a drop with its reason. */
public sealed interface RtpParseResult {

  /** A well-formed packet. */
  record Parsed(RtpPacket packet) implements RtpParseResult {}

  /** A datagram that is not valid RTP; the caller counts it and moves on. */
  record Dropped(RtpDropReason reason, String detail) implements RtpParseResult {}
}
