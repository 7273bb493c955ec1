package dev.switchboard.voice.sip;

/**
 * {@code name-addr} / {@code addr-spec} with header parameters, as in From, To, Contact, Route,
 * Record-Route, P-Asserted-Identity and Refer-To. Without angle brackets the URI ends at the first
 * ';', whose parameters belong to the header (RFC 3261 §20.10).
 */
public record NameAddress(String displayName, String uriText, SipParameters params) {

  public static NameAddress parse(String value) {
    if (value == null) {
      throw new SipProtocolException("Missing address");
    }
    String v = value.trim();
    String display = "";
    int i = 0;
    if (v.startsWith("\"")) {
      int end = SipText.endOfQuoted(v, 0);
      if (end < 0) {
        throw new SipProtocolException("Unterminated quoted display name");
      }
      display = SipText.unquote(v.substring(0, end + 1));
      i = end + 1;
    }
    int lt = v.indexOf('<', i);
    String uri;
    String paramText;
    if (lt >= 0) {
      if (display.isEmpty()) {
        display = v.substring(i, lt).trim();
      } else if (!v.substring(i, lt).isBlank()) {
        throw new SipProtocolException("Garbage between display name and URI");
      }
      int gt = v.indexOf('>', lt);
      if (gt < 0) {
        throw new SipProtocolException("Unterminated <URI>");
      }
      uri = v.substring(lt + 1, gt).trim();
      paramText = v.substring(gt + 1);
    } else {
      if (!display.isEmpty()) {
        throw new SipProtocolException("Quoted display name without <URI>");
      }
      int semi = v.indexOf(';');
      uri = (semi < 0 ? v : v.substring(0, semi)).trim();
      paramText = semi < 0 ? "" : v.substring(semi);
      if (uri.indexOf(' ') >= 0 || uri.indexOf(',') >= 0 || uri.indexOf('?') >= 0) {
        throw new SipProtocolException("addr-spec with reserved characters must use <URI>");
      }
    }
    // Validates the URI grammar; the text is kept for echoing.
    SipUri.parse(uri);
    return new NameAddress(display, uri, SipParameters.parse(paramText));
  }

  public SipUri uri() {
    return SipUri.parse(uriText);
  }

  public String tag() {
    return params.get("tag");
  }

  public NameAddress withTag(String tag) {
    SipParameters p = SipParameters.parse(params.toString());
    p.put("tag", tag);
    return new NameAddress(displayName, uriText, p);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!displayName.isEmpty()) {
      sb.append(SipText.quote(displayName)).append(' ');
    }
    return sb.append('<').append(uriText).append('>').append(params).toString();
  }
}
