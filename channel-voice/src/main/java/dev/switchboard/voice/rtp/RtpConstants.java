package dev.switchboard.voice.rtp;

/** Numbers from RFC 3550 / RFC 3551 used by the RTP and RTCP codecs. */
public final class RtpConstants {

  /** The only RTP version in use. */
  public static final int VERSION = 2;

  /** Fixed RTP header length without CSRCs or extension. */
  public static final int FIXED_HEADER_LENGTH = 12;

  /** Sequence numbers are 16 bits. */
  public static final int SEQUENCE_MODULUS = 1 << 16;

  /** Largest legal payload type (7 bits). */
  public static final int MAX_PAYLOAD_TYPE = 127;

  /** At most 15 CSRCs fit the 4-bit CC field. */
  public static final int MAX_CSRC_COUNT = 15;

  /** G.711 and telephone-event run at an 8 kHz RTP clock. */
  public static final int NARROWBAND_CLOCK_RATE = 8000;

  /** Samples in one 20 ms frame at 8 kHz (the packetization we send). */
  public static final int SAMPLES_PER_20MS_FRAME = 160;

  /** Default upper bound for a datagram we accept; larger ones are dropped, not truncated. */
  public static final int DEFAULT_MAX_PACKET_SIZE = 1500;

  /**
   * RTCP packet types 200..204 land on RTP payload types 72..76 when RTP and RTCP share a port (RFC
   * 5761 section 4); such datagrams are not RTP.
   */
  public static final int RTCP_CONFLICT_PT_MIN = 72;

  /** Upper end of the RFC 5761 conflict range. */
  public static final int RTCP_CONFLICT_PT_MAX = 76;

  private RtpConstants() {}
}
