package dev.switchboard.voice.rtp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Parses RTP datagrams (RFC 3550 section 5.1) without throwing: every malformed datagram becomes a
 * {@link RtpParseResult.Dropped} and is counted per {@link RtpDropReason}.
 *
 * <p>Parsing walks the header in order (fixed header, CSRC list, extension, padding) and checks
 * each length against the bytes that remain. Limit: datagrams longer than {@code maxPacketSize} are
 * dropped. The parser is stateless apart from its counters and safe to share between threads.
 */
public final class RtpParser {

  private enum State {
    FIXED_HEADER,
    CSRC_LIST,
    EXTENSION,
    PADDING,
    DONE
  }

  private final int maxPacketSize;
  private final AtomicLongArray drops = new AtomicLongArray(RtpDropReason.values().length);

  /** A parser that accepts datagrams up to {@link RtpConstants#DEFAULT_MAX_PACKET_SIZE}. */
  public RtpParser() {
    this(RtpConstants.DEFAULT_MAX_PACKET_SIZE);
  }

  /**
   * @param maxPacketSize the largest datagram accepted, in octets
   */
  public RtpParser(int maxPacketSize) {
    if (maxPacketSize < RtpConstants.FIXED_HEADER_LENGTH) {
      throw new IllegalArgumentException("maxPacketSize too small: " + maxPacketSize);
    }
    this.maxPacketSize = maxPacketSize;
  }

  /** Parses a whole array. */
  public RtpParseResult parse(byte[] datagram) {
    return parse(datagram, 0, datagram.length);
  }

  /** Parses {@code length} octets of {@code buffer} starting at {@code offset}. */
  public RtpParseResult parse(byte[] buffer, int offset, int length) {
    if (length > maxPacketSize) {
      return drop(RtpDropReason.TOO_LONG, length + " > " + maxPacketSize);
    }
    int end = offset + length;
    int position = offset;
    boolean padding = false;
    boolean hasExtension = false;
    int csrcCount = 0;
    boolean marker = false;
    int payloadType = 0;
    int sequence = 0;
    long timestamp = 0;
    long ssrc = 0;
    long[] csrcs = null;
    RtpHeaderExtension extension = null;
    int paddingLength = 0;
    State state = State.FIXED_HEADER;
    while (state != State.DONE) {
      switch (state) {
        case FIXED_HEADER -> {
          if (length < RtpConstants.FIXED_HEADER_LENGTH) {
            return drop(RtpDropReason.TOO_SHORT, length + " octets");
          }
          int first = buffer[position] & 0xFF;
          int version = first >>> 6;
          if (version != RtpConstants.VERSION) {
            return drop(RtpDropReason.BAD_VERSION, "version " + version);
          }
          padding = (first & 0x20) != 0;
          hasExtension = (first & 0x10) != 0;
          csrcCount = first & 0x0F;
          int second = buffer[position + 1] & 0xFF;
          marker = (second & 0x80) != 0;
          payloadType = second & 0x7F;
          if (payloadType >= RtpConstants.RTCP_CONFLICT_PT_MIN
              && payloadType <= RtpConstants.RTCP_CONFLICT_PT_MAX) {
            return drop(RtpDropReason.RTCP_ON_RTP_PORT, "payload type " + payloadType);
          }
          sequence = readUint16(buffer, position + 2);
          timestamp = readUint32(buffer, position + 4);
          ssrc = readUint32(buffer, position + 8);
          position += RtpConstants.FIXED_HEADER_LENGTH;
          state = State.CSRC_LIST;
        }
        case CSRC_LIST -> {
          if (position + 4 * csrcCount > end) {
            return drop(RtpDropReason.CSRC_OVERRUN, csrcCount + " CSRCs");
          }
          csrcs = new long[csrcCount];
          for (int i = 0; i < csrcCount; i++) {
            csrcs[i] = readUint32(buffer, position);
            position += 4;
          }
          state = State.EXTENSION;
        }
        case EXTENSION -> {
          if (hasExtension) {
            if (position + 4 > end) {
              return drop(RtpDropReason.EXTENSION_OVERRUN, "no room for extension header");
            }
            int profile = readUint16(buffer, position);
            int words = readUint16(buffer, position + 2);
            position += 4;
            if (position + 4 * words > end) {
              return drop(RtpDropReason.EXTENSION_OVERRUN, words + " words");
            }
            byte[] data = new byte[4 * words];
            System.arraycopy(buffer, position, data, 0, data.length);
            position += data.length;
            extension = new RtpHeaderExtension(profile, data);
          }
          state = State.PADDING;
        }
        case PADDING -> {
          if (padding) {
            paddingLength = end > position ? buffer[end - 1] & 0xFF : 0;
            if (paddingLength == 0 || position + paddingLength > end) {
              return drop(RtpDropReason.BAD_PADDING, "padding " + paddingLength);
            }
          }
          state = State.DONE;
        }
        case DONE -> throw new IllegalStateException("unreachable");
      }
    }
    byte[] payload = new byte[end - paddingLength - position];
    System.arraycopy(buffer, position, payload, 0, payload.length);
    return new RtpParseResult.Parsed(
        new RtpPacket(
            marker,
            payloadType,
            sequence,
            timestamp,
            ssrc,
            csrcs,
            extension,
            payload,
            paddingLength));
  }

  /** How many datagrams were dropped for {@code reason} since this parser was made. */
  public long dropCount(RtpDropReason reason) {
    return drops.get(reason.ordinal());
  }

  /** All drop counters, for metrics. */
  public Map<RtpDropReason, Long> dropCounts() {
    Map<RtpDropReason, Long> counts = new EnumMap<>(RtpDropReason.class);
    for (RtpDropReason reason : RtpDropReason.values()) {
      counts.put(reason, drops.get(reason.ordinal()));
    }
    return counts;
  }

  private RtpParseResult drop(RtpDropReason reason, String detail) {
    drops.incrementAndGet(reason.ordinal());
    return new RtpParseResult.Dropped(reason, detail);
  }

  static int readUint16(byte[] buffer, int at) {
    return ((buffer[at] & 0xFF) << 8) | (buffer[at + 1] & 0xFF);
  }

  static long readUint32(byte[] buffer, int at) {
    return ((long) (buffer[at] & 0xFF) << 24)
        | ((buffer[at + 1] & 0xFF) << 16)
        | ((buffer[at + 2] & 0xFF) << 8)
        | (buffer[at + 3] & 0xFF);
  }
}
