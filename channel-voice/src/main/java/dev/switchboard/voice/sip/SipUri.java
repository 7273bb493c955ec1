package dev.switchboard.voice.sip;

import java.util.Locale;

/**
 * A {@code sip:}, {@code sips:} or {@code tel:} URI (RFC 3261 §19.1, RFC 3966). Other absolute URIs
 * are accepted with only their scheme known. The user part keeps its escapes in {@link #user()};
 * {@link #userUnescaped()} decodes them.
 */
public record SipUri(
    String scheme, String user, String host, int port, SipParameters params, String headers) {

  public static final int NO_PORT = -1;

  public static SipUri parse(String text) {
    if (text == null) {
      throw new SipProtocolException("Missing URI");
    }
    String s = text.trim();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f) {
        throw new SipProtocolException("Illegal character in URI");
      }
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new SipProtocolException("URI without scheme");
    }
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!Character.isLetter(scheme.charAt(0))
        || !scheme
            .chars()
            .allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
      throw new SipProtocolException("Invalid URI scheme");
    }
    String rest = s.substring(colon + 1);
    if (scheme.equals("tel")) {
      int semi = rest.indexOf(';');
      String number = semi < 0 ? rest : rest.substring(0, semi);
      if (number.isEmpty()) {
        throw new SipProtocolException("Empty tel URI");
      }
      SipUri.validateEscapes(number);
      return new SipUri(
          scheme,
          number,
          "",
          NO_PORT,
          SipParameters.parse(semi < 0 ? "" : rest.substring(semi)),
          "");
    }
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return new SipUri(scheme, "", rest, NO_PORT, new SipParameters(), "");
    }
    // userinfo ends at the first '@' (a literal '@' must be escaped there); its characters may
    // include '?', ';' and ',' (RFC 4475 "intmeth"), so split it off before the rest.
    String user = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      user = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int pw = user.indexOf(':');
      if (pw >= 0) {
        user = user.substring(0, pw);
      }
      if (user.isEmpty()) {
        throw new SipProtocolException("Empty user part");
      }
      validateEscapes(user);
    }
    String headers = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      headers = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int semi = rest.indexOf(';');
    String hostport = semi < 0 ? rest : rest.substring(0, semi);
    SipParameters params = SipParameters.parse(semi < 0 ? "" : rest.substring(semi));
    String host;
    int port = NO_PORT;
    if (hostport.startsWith("[")) {
      int close = hostport.indexOf(']');
      if (close < 0) {
        throw new SipProtocolException("Unterminated IPv6 reference");
      }
      host = hostport.substring(0, close + 1);
      String after = hostport.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new SipProtocolException("Garbage after IPv6 reference");
        }
        port = parsePort(after.substring(1));
      }
    } else {
      int pc = hostport.indexOf(':');
      host = pc < 0 ? hostport : hostport.substring(0, pc);
      if (pc >= 0) {
        port = parsePort(hostport.substring(pc + 1));
      }
    }
    if (host.isEmpty() || !validHost(host)) {
      throw new SipProtocolException("Invalid host in URI");
    }
    return new SipUri(scheme, user, host.toLowerCase(Locale.ROOT), port, params, headers);
  }

  static void validateEscapes(String s) {
    SipText.unescape(s);
  }

  private static boolean validHost(String host) {
    if (host.startsWith("[")) {
      return host.length() > 2;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static int parsePort(String p) {
    if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
      throw new SipProtocolException("Invalid port in URI");
    }
    int port = Integer.parseInt(p);
    if (port > 65535) {
      throw new SipProtocolException("Port out of range in URI");
    }
    return port;
  }

  public boolean isSip() {
    return scheme.equals("sip") || scheme.equals("sips");
  }

  public String userUnescaped() {
    return SipText.unescape(user);
  }

  public int portOr(int dflt) {
    return port == NO_PORT ? dflt : port;
  }

  /** The transport parameter, lower-case, or {@code null}. */
  public String transport() {
    String t = params.get("transport");
    return t == null ? null : t.toLowerCase(Locale.ROOT);
  }

  public boolean looseRouting() {
    return params.has("lr");
  }

  @Override
  public String toString() {
    if (scheme.equals("tel")) {
      return "tel:" + user + params;
    }
    if (!isSip()) {
      return scheme + ":" + host;
    }
    StringBuilder sb = new StringBuilder(scheme).append(':');
    if (!user.isEmpty()) {
      sb.append(user).append('@');
    }
    sb.append(host);
    if (port != NO_PORT) {
      sb.append(':').append(port);
    }
    sb.append(params);
    if (!headers.isEmpty()) {
      sb.append('?').append(headers);
    }
    return sb.toString();
  }
}
