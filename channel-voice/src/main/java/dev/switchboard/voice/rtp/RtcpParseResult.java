package dev.switchboard.voice.rtp;

import java.util.List;

/** The outcome of parsing one RTCP datagram. */
public sealed interface RtcpParseResult {

  /** The packets of a valid compound datagram, in order. */
  record Parsed(List<RtcpPacket> packets) implements RtcpParseResult {}

  /** A datagram that is not valid RTCP; counted by the caller, never thrown. */
  record Dropped(String reason) implements RtcpParseResult {}
}
