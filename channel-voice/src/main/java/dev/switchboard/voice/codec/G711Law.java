package dev.switchboard.voice.codec;

/** The two G.711 companding laws and their static RTP payload types (RFC 3551). */
public enum G711Law {
  /** PCMU, payload type 0: North America and Japan. */
  ULAW(0, "PCMU"),
  /** PCMA, payload type 8: the rest of the world. */
  ALAW(8, "PCMA");

  private final int payloadType;
  private final String encodingName;

  G711Law(int payloadType, String encodingName) {
    this.payloadType = payloadType;
    this.encodingName = encodingName;
  }

  /** The static RTP payload type. */
  public int payloadType() {
    return payloadType;
  }

  /** The SDP encoding name (as in {@code a=rtpmap:0 PCMU/8000}). */
  public String encodingName() {
    return encodingName;
  }

  /** The byte that decodes to (near) zero, used for silence and comfort frames. */
  public byte silence() {
    return this == ULAW ? G711.ULAW_SILENCE : G711.ALAW_SILENCE;
  }

  /** Returns the law for a static payload type, or {@code null} if it is not G.711. */
  public static G711Law forPayloadType(int payloadType) {
    return switch (payloadType) {
      case 0 -> ULAW;
      case 8 -> ALAW;
      default -> null;
    };
  }
}
