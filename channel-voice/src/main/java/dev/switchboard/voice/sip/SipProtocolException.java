package dev.switchboard.voice.sip;

/**
 * A header value or URI that does not follow the SIP grammar. Thrown only by the small value
 * parsers ({@link SipUri}, {@link NameAddress}, {@link Via}, {@link CSeq}); the message parser
 * never throws and the user agent turns this exception into a {@code 400 Bad Request} carrying
 * {@link #getMessage()}.
 */
public final class SipProtocolException extends RuntimeException {
  private final int status;

  public SipProtocolException(String reason) {
    this(400, reason);
  }

  public SipProtocolException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  /** The SIP status code the peer should receive. */
  public int status() {
    return status;
  }
}
