package dev.switchboard.voice.rtp;

import java.util.List;

/** The RTCP packets of a compound datagram (RFC 3550 section 6). */
public sealed interface RtcpPacket {

  /** Packet type numbers. */
  int SENDER_REPORT = 200;

  int RECEIVER_REPORT = 201;
  int SOURCE_DESCRIPTION = 202;
  int BYE = 203;

  /**
   * SR: what we sent, plus reception reports.
   *
   * @param ntpTimestamp 64-bit NTP wall-clock time of this report
   */
  record SenderReport(
      long ssrc,
      long ntpTimestamp,
      long rtpTimestamp,
      long packetCount,
      long octetCount,
      List<RtcpReportBlock> reports)
      implements RtcpPacket {
    public SenderReport {
      reports = List.copyOf(reports);
    }

    /** The middle 32 bits of the NTP timestamp, echoed by receivers as LSR. */
    public long compactNtp() {
      return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
    }
  }

  /** RR: reception reports from a participant that is not sending. */
  record ReceiverReport(long ssrc, List<RtcpReportBlock> reports) implements RtcpPacket {
    public ReceiverReport {
      reports = List.copyOf(reports);
    }
  }

  /** SDES with the CNAME item only (the one item RFC 3550 requires). */
  record SourceDescription(long ssrc, String cname) implements RtcpPacket {}

  /** BYE: the listed sources are leaving. */
  record Bye(List<Long> ssrcs, String reason) implements RtcpPacket {
    public Bye {
      ssrcs = List.copyOf(ssrcs);
    }
  }

  /** Any other packet type (APP, feedback…), kept as a type and length so it can be counted. */
  record Unknown(int packetType, int length) implements RtcpPacket {}
}
