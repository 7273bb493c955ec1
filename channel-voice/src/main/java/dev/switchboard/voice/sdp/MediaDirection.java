package dev.switchboard.voice.sdp;

import java.util.Locale;

/** RFC 3264 direction attributes, from the point of view of the side that wrote the SDP. */
public enum MediaDirection {
  SENDRECV,
  SENDONLY,
  RECVONLY,
  INACTIVE;

  /** The answerer's direction for an offer with this direction (RFC 3264 §6.1). */
  public MediaDirection answerTo() {
    return switch (this) {
      case SENDRECV -> SENDRECV;
      case SENDONLY -> RECVONLY;
      case RECVONLY -> SENDONLY;
      case INACTIVE -> INACTIVE;
    };
  }

  /** True when the side that wrote this will not receive our audio: the caller put us on hold. */
  public boolean peerHolds() {
    return this == SENDONLY || this == INACTIVE;
  }

  public boolean weSend() {
    return this == SENDRECV || this == SENDONLY;
  }

  public String attribute() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MediaDirection fromAttribute(String a) {
    return switch (a) {
      case "sendonly" -> SENDONLY;
      case "recvonly" -> RECVONLY;
      case "inactive" -> INACTIVE;
      case "sendrecv" -> SENDRECV;
      default -> null;
    };
  }
}
