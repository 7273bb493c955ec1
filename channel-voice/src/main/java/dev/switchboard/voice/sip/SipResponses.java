package dev.switchboard.voice.sip;

/** Builds responses to a request as RFC 3261 §8.2.6 says: Via, From, To, Call-ID, CSeq copied. */
public final class SipResponses {
  private SipResponses() {}

  /**
   * A response without a body.
   *
   * @param toTag added to To when it has none (dialog-creating and all final responses), or null
   */
  public static SipResponse create(SipRequest request, int status, String reason, String toTag) {
    SipHeaders h = new SipHeaders();
    SipHeaders in = request.headers();
    for (String via : in.values(SipConstants.VIA)) {
      h.add(SipConstants.VIA, via);
    }
    copy(in, h, SipConstants.FROM);
    String to = in.firstOrNull(SipConstants.TO);
    if (to != null) {
      if (toTag != null && status > 100) {
        try {
          NameAddress addr = NameAddress.parse(to);
          if (addr.tag() == null) {
            to = addr.withTag(toTag).toString();
          }
        } catch (SipProtocolException e) {
          // A To we cannot read is echoed as received.
        }
      }
      h.add(SipConstants.TO, to);
    }
    copy(in, h, SipConstants.CALL_ID);
    copy(in, h, SipConstants.CSEQ);
    return new SipResponse(
        status, reason != null ? reason : SipConstants.reasonPhrase(status), h, null);
  }

  public static SipResponse create(SipRequest request, int status) {
    return create(request, status, null, null);
  }

  /** Same response with a body and its Content-Type. */
  public static SipResponse withBody(SipResponse r, String contentType, byte[] body) {
    SipHeaders h = r.headers().copy().set(SipConstants.CONTENT_TYPE, contentType);
    return new SipResponse(r.status(), r.reason(), h, body);
  }

  private static void copy(SipHeaders from, SipHeaders to, String name) {
    String v = from.firstOrNull(name);
    if (v != null) {
      to.add(name, v);
    }
  }
}
