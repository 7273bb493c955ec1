package dev.switchboard.voice.rtp;

/**
 * Raised only for programming errors on the sending side (a packet we build with out-of-range
 * fields). Incoming bytes never raise it; they become {@link RtpParseResult.Dropped}.
 */
public class RtpException extends IllegalArgumentException {

  public RtpException(String message) {
    super(message);
  }
}
