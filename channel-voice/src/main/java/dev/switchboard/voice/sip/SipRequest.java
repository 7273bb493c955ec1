package dev.switchboard.voice.sip;

/**
 * A request. {@code uri} is kept as received (already checked to be a URI) so it can be echoed; use
 * {@link SipUri#parse} for its parts.
 */
public record SipRequest(String method, String uri, SipHeaders headers, byte[] body)
    implements SipMessage {
  public SipRequest {
    body = body == null ? new byte[0] : body;
  }

  public boolean is(String m) {
    return method.equals(m);
  }
}
