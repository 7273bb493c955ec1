package dev.switchboard.voice.rtp;

/** Writes {@link RtpPacket}s as RTP datagrams (RFC 3550 section 5.1). Stateless. */
public final class RtpSerializer {

  private RtpSerializer() {}

  /** The datagram length {@code packet} serializes to. */
  public static int serializedLength(RtpPacket packet) {
    int length = RtpConstants.FIXED_HEADER_LENGTH + 4 * packet.csrcs().length;
    if (packet.hasExtension()) {
      length += 4 + packet.extension().data().length;
    }
    return length + packet.payload().length + packet.paddingLength();
  }

  /** Serializes into a new array. */
  public static byte[] serialize(RtpPacket packet) {
    byte[] out = new byte[serializedLength(packet)];
    serialize(packet, out, 0);
    return out;
  }

  /**
   * Serializes into {@code out} at {@code offset} (callers reuse one buffer per stream).
   *
   * @return the number of octets written
   * @throws RtpException if a field is out of range for the wire format
   */
  public static int serialize(RtpPacket packet, byte[] out, int offset) {
    validate(packet);
    int position = offset;
    int csrcCount = packet.csrcs().length;
    out[position++] =
        (byte)
            ((RtpConstants.VERSION << 6)
                | (packet.paddingLength() > 0 ? 0x20 : 0)
                | (packet.hasExtension() ? 0x10 : 0)
                | csrcCount);
    out[position++] = (byte) ((packet.marker() ? 0x80 : 0) | packet.payloadType());
    position = writeUint16(out, position, packet.sequenceNumber());
    position = writeUint32(out, position, packet.timestamp());
    position = writeUint32(out, position, packet.ssrc());
    for (long csrc : packet.csrcs()) {
      position = writeUint32(out, position, csrc);
    }
    if (packet.hasExtension()) {
      byte[] data = packet.extension().data();
      position = writeUint16(out, position, packet.extension().profile());
      position = writeUint16(out, position, data.length / 4);
      System.arraycopy(data, 0, out, position, data.length);
      position += data.length;
    }
    System.arraycopy(packet.payload(), 0, out, position, packet.payload().length);
    position += packet.payload().length;
    int padding = packet.paddingLength();
    if (padding > 0) {
      for (int i = 0; i < padding - 1; i++) {
        out[position++] = 0;
      }
      out[position++] = (byte) padding;
    }
    return position - offset;
  }

  private static void validate(RtpPacket packet) {
    if (packet.payloadType() < 0 || packet.payloadType() > RtpConstants.MAX_PAYLOAD_TYPE) {
      throw new RtpException("payload type out of range: " + packet.payloadType());
    }
    if (packet.sequenceNumber() < 0 || packet.sequenceNumber() >= RtpConstants.SEQUENCE_MODULUS) {
      throw new RtpException("sequence number out of range: " + packet.sequenceNumber());
    }
    if (packet.timestamp() < 0 || packet.timestamp() > 0xFFFFFFFFL) {
      throw new RtpException("timestamp out of range: " + packet.timestamp());
    }
    if (packet.ssrc() < 0 || packet.ssrc() > 0xFFFFFFFFL) {
      throw new RtpException("ssrc out of range: " + packet.ssrc());
    }
    if (packet.csrcs().length > RtpConstants.MAX_CSRC_COUNT) {
      throw new RtpException("too many CSRCs: " + packet.csrcs().length);
    }
    if (packet.paddingLength() < 0 || packet.paddingLength() > 255) {
      throw new RtpException("padding out of range: " + packet.paddingLength());
    }
    if (packet.hasExtension() && packet.extension().data().length % 4 != 0) {
      throw new RtpException("extension data must be a multiple of 4 octets");
    }
  }

  static int writeUint16(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
    return at + 2;
  }

  static int writeUint32(byte[] out, int at, long value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
    return at + 4;
  }
}
