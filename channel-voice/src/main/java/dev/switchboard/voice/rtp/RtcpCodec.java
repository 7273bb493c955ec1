package dev.switchboard.voice.rtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parses and builds compound RTCP datagrams: SR, RR, SDES (CNAME) and BYE; other packet types are
 * skipped as {@link RtcpPacket.Unknown}. Malformed input becomes {@link RtcpParseResult.Dropped}.
 * The first packet need not be SR/RR, so reduced-size RTCP (RFC 5506) is accepted. Limit: datagrams
 * over {@link RtpConstants#DEFAULT_MAX_PACKET_SIZE} are dropped.
 */
public final class RtcpCodec {

  private static final int HEADER_LENGTH = 4;
  private final AtomicLong drops = new AtomicLong();

  /** Parses a whole datagram. */
  public RtcpParseResult parse(byte[] datagram) {
    return parse(datagram, 0, datagram.length);
  }

  /** Parses {@code length} octets of {@code buffer} from {@code offset}. */
  public RtcpParseResult parse(byte[] buffer, int offset, int length) {
    if (length > RtpConstants.DEFAULT_MAX_PACKET_SIZE) {
      return drop("datagram too long: " + length);
    }
    if (length < HEADER_LENGTH || length % 4 != 0) {
      return drop("length " + length + " is not a positive multiple of 4");
    }
    List<RtcpPacket> packets = new ArrayList<>();
    int position = offset;
    int end = offset + length;
    while (position < end) {
      if (end - position < HEADER_LENGTH) {
        return drop("truncated header");
      }
      int first = buffer[position] & 0xFF;
      if (first >>> 6 != RtpConstants.VERSION) {
        return drop("version " + (first >>> 6));
      }
      boolean padding = (first & 0x20) != 0;
      int count = first & 0x1F;
      int type = buffer[position + 1] & 0xFF;
      int packetLength = (RtpParser.readUint16(buffer, position + 2) + 1) * 4;
      int packetEnd = position + packetLength;
      if (packetEnd > end) {
        return drop("packet type " + type + " length " + packetLength + " overruns datagram");
      }
      if (padding) {
        if (packetEnd != end) {
          return drop("padding on a packet that is not the last");
        }
        int pad = buffer[end - 1] & 0xFF;
        if (pad == 0 || pad > packetLength - HEADER_LENGTH) {
          return drop("bad padding " + pad);
        }
        packetEnd -= pad;
      }
      int body = position + HEADER_LENGTH;
      RtcpPacket packet =
          switch (type) {
            case RtcpPacket.SENDER_REPORT -> parseSenderReport(buffer, body, packetEnd, count);
            case RtcpPacket.RECEIVER_REPORT -> parseReceiverReport(buffer, body, packetEnd, count);
            case RtcpPacket.SOURCE_DESCRIPTION -> parseSourceDescription(buffer, body, packetEnd);
            case RtcpPacket.BYE -> parseBye(buffer, body, packetEnd, count);
            default -> new RtcpPacket.Unknown(type, packetLength);
          };
      if (packet == null) {
        return drop("malformed packet type " + type);
      }
      packets.add(packet);
      position += packetLength;
    }
    return new RtcpParseResult.Parsed(packets);
  }

  /** Datagrams dropped by {@link #parse} so far. */
  public long dropCount() {
    return drops.get();
  }

  /** Serializes packets into one compound datagram (no padding). */
  public static byte[] serialize(List<? extends RtcpPacket> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    for (RtcpPacket packet : packets) {
      // Java 17 has no pattern switch; the sealed hierarchy keeps this list complete.
      byte[] bytes;
      if (packet instanceof RtcpPacket.SenderReport sr) {
        bytes = senderReport(sr);
      } else if (packet instanceof RtcpPacket.ReceiverReport rr) {
        bytes = receiverReport(rr);
      } else if (packet instanceof RtcpPacket.SourceDescription sdes) {
        bytes = sourceDescription(sdes);
      } else if (packet instanceof RtcpPacket.Bye bye) {
        bytes = bye(bye);
      } else {
        throw new RtpException("cannot serialize " + packet);
      }
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  private static RtcpPacket parseSenderReport(byte[] b, int at, int end, int count) {
    if (at + 24 + count * RtcpReportBlock.LENGTH > end) {
      return null;
    }
    long ssrc = RtpParser.readUint32(b, at);
    long ntp = (RtpParser.readUint32(b, at + 4) << 32) | RtpParser.readUint32(b, at + 8);
    long rtp = RtpParser.readUint32(b, at + 12);
    long packets = RtpParser.readUint32(b, at + 16);
    long octets = RtpParser.readUint32(b, at + 20);
    return new RtcpPacket.SenderReport(
        ssrc, ntp, rtp, packets, octets, parseBlocks(b, at + 24, count));
  }

  private static RtcpPacket parseReceiverReport(byte[] b, int at, int end, int count) {
    if (at + 4 + count * RtcpReportBlock.LENGTH > end) {
      return null;
    }
    return new RtcpPacket.ReceiverReport(
        RtpParser.readUint32(b, at), parseBlocks(b, at + 4, count));
  }

  private static List<RtcpReportBlock> parseBlocks(byte[] b, int at, int count) {
    List<RtcpReportBlock> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int p = at + i * RtcpReportBlock.LENGTH;
      int cumulative = ((b[p + 5] & 0xFF) << 16) | ((b[p + 6] & 0xFF) << 8) | (b[p + 7] & 0xFF);
      cumulative = (cumulative << 8) >> 8; // sign-extend the 24-bit field
      blocks.add(
          new RtcpReportBlock(
              RtpParser.readUint32(b, p),
              b[p + 4] & 0xFF,
              cumulative,
              RtpParser.readUint32(b, p + 8),
              RtpParser.readUint32(b, p + 12),
              RtpParser.readUint32(b, p + 16),
              RtpParser.readUint32(b, p + 20)));
    }
    return blocks;
  }

  /** Reads the first chunk's CNAME; other items and chunks are skipped. */
  private static RtcpPacket parseSourceDescription(byte[] b, int at, int end) {
    if (at + 4 > end) {
      return null;
    }
    long ssrc = RtpParser.readUint32(b, at);
    int p = at + 4;
    String cname = "";
    while (p < end && b[p] != 0) {
      if (p + 2 > end) {
        return null;
      }
      int itemType = b[p] & 0xFF;
      int itemLength = b[p + 1] & 0xFF;
      if (p + 2 + itemLength > end) {
        return null;
      }
      if (itemType == 1) {
        cname = new String(b, p + 2, itemLength, StandardCharsets.UTF_8);
      }
      p += 2 + itemLength;
    }
    return new RtcpPacket.SourceDescription(ssrc, cname);
  }

  private static RtcpPacket parseBye(byte[] b, int at, int end, int count) {
    if (at + 4 * count > end) {
      return null;
    }
    List<Long> ssrcs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ssrcs.add(RtpParser.readUint32(b, at + 4 * i));
    }
    int p = at + 4 * count;
    String reason = "";
    if (p < end) {
      int reasonLength = b[p] & 0xFF;
      if (p + 1 + reasonLength > end) {
        return null;
      }
      reason = new String(b, p + 1, reasonLength, StandardCharsets.UTF_8);
    }
    return new RtcpPacket.Bye(ssrcs, reason);
  }

  private static byte[] senderReport(RtcpPacket.SenderReport sr) {
    int count = checkCount(sr.reports().size());
    byte[] out = new byte[4 + 24 + count * RtcpReportBlock.LENGTH];
    header(out, count, RtcpPacket.SENDER_REPORT);
    RtpSerializer.writeUint32(out, 4, sr.ssrc());
    RtpSerializer.writeUint32(out, 8, sr.ntpTimestamp() >>> 32);
    RtpSerializer.writeUint32(out, 12, sr.ntpTimestamp() & 0xFFFFFFFFL);
    RtpSerializer.writeUint32(out, 16, sr.rtpTimestamp());
    RtpSerializer.writeUint32(out, 20, sr.packetCount() & 0xFFFFFFFFL);
    RtpSerializer.writeUint32(out, 24, sr.octetCount() & 0xFFFFFFFFL);
    writeBlocks(out, 28, sr.reports());
    return out;
  }

  private static byte[] receiverReport(RtcpPacket.ReceiverReport rr) {
    int count = checkCount(rr.reports().size());
    byte[] out = new byte[8 + count * RtcpReportBlock.LENGTH];
    header(out, count, RtcpPacket.RECEIVER_REPORT);
    RtpSerializer.writeUint32(out, 4, rr.ssrc());
    writeBlocks(out, 8, rr.reports());
    return out;
  }

  private static byte[] sourceDescription(RtcpPacket.SourceDescription sdes) {
    byte[] cname = sdes.cname().getBytes(StandardCharsets.UTF_8);
    if (cname.length > 255) {
      throw new RtpException("CNAME longer than 255 octets");
    }
    int chunk = 4 + 2 + cname.length + 1; // SSRC, item header, text, END item
    int padded = (chunk + 3) & ~3;
    byte[] out = new byte[4 + padded];
    header(out, 1, RtcpPacket.SOURCE_DESCRIPTION);
    RtpSerializer.writeUint32(out, 4, sdes.ssrc());
    out[8] = 1;
    out[9] = (byte) cname.length;
    System.arraycopy(cname, 0, out, 10, cname.length);
    return out; // remaining octets are already zero: END item plus padding
  }

  private static byte[] bye(RtcpPacket.Bye bye) {
    int count = checkCount(bye.ssrcs().size());
    byte[] reason = bye.reason().getBytes(StandardCharsets.UTF_8);
    int reasonLength = reason.length == 0 ? 0 : 1 + reason.length;
    int length = 4 + 4 * count + reasonLength;
    byte[] out = new byte[(length + 3) & ~3];
    header(out, count, RtcpPacket.BYE);
    for (int i = 0; i < count; i++) {
      RtpSerializer.writeUint32(out, 4 + 4 * i, bye.ssrcs().get(i));
    }
    if (reasonLength > 0) {
      out[4 + 4 * count] = (byte) reason.length;
      System.arraycopy(reason, 0, out, 5 + 4 * count, reason.length);
    }
    return out;
  }

  private static void header(byte[] out, int count, int type) {
    out[0] = (byte) ((RtpConstants.VERSION << 6) | count);
    out[1] = (byte) type;
    RtpSerializer.writeUint16(out, 2, out.length / 4 - 1);
  }

  private static void writeBlocks(byte[] out, int at, List<RtcpReportBlock> blocks) {
    for (RtcpReportBlock block : blocks) {
      RtpSerializer.writeUint32(out, at, block.ssrc());
      out[at + 4] = (byte) block.fractionLost();
      int lost = block.cumulativeLost();
      out[at + 5] = (byte) (lost >> 16);
      out[at + 6] = (byte) (lost >> 8);
      out[at + 7] = (byte) lost;
      RtpSerializer.writeUint32(out, at + 8, block.extendedHighestSequence());
      RtpSerializer.writeUint32(out, at + 12, block.interarrivalJitter());
      RtpSerializer.writeUint32(out, at + 16, block.lastSenderReport());
      RtpSerializer.writeUint32(out, at + 20, block.delaySinceLastSenderReport());
      at += RtcpReportBlock.LENGTH;
    }
  }

  private static int checkCount(int count) {
    if (count > 31) {
      throw new RtpException("at most 31 items per RTCP packet, got " + count);
    }
    return count;
  }

  private RtcpParseResult drop(String reason) {
    drops.incrementAndGet();
    return new RtcpParseResult.Dropped(reason);
  }
}
