package dev.switchboard.voice.sip;

/** A response. */
public record SipResponse(int status, String reason, SipHeaders headers, byte[] body)
    implements SipMessage {
  public SipResponse {
    body = body == null ? new byte[0] : body;
  }

  public boolean isProvisional() {
    return status < 200;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
