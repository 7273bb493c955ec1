package dev.switchboard.voice.sip;

import java.nio.charset.StandardCharsets;

/** A SIP request or response: start line, headers and an opaque body. */
public sealed interface SipMessage permits SipRequest, SipResponse {
  SipHeaders headers();

  byte[] body();

  default String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  default String callId() {
    return headers().firstOrNull(SipConstants.CALL_ID);
  }

  /** The parsed CSeq; callers only ask after the parser validated it. */
  default CSeq cseq() {
    return CSeq.parse(headers().firstOrNull(SipConstants.CSEQ));
  }

  /** The top Via, parsed. */
  default Via topVia() {
    return Via.parse(headers().values(SipConstants.VIA).get(0));
  }

  default String contentType() {
    String ct = headers().firstOrNull(SipConstants.CONTENT_TYPE);
    if (ct == null) {
      return null;
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }
}
