package dev.switchboard.voice.sdp;

/** An SDP body that does not follow RFC 4566; the user agent answers 400 (or 488 in an ACK). */
public final class SdpProtocolException extends RuntimeException {
  public SdpProtocolException(String reason) {
    super(reason, null, false, false);
  }
}
