package dev.switchboard.voice.sip;

import java.util.Locale;

/**
 * One Via value: {@code SIP/2.0/UDP host[:port];params}. Linear whitespace is allowed around the
 * slashes and the parameters (RFC 4475 "wsinv").
 */
public record Via(String transport, String host, int port, SipParameters params) {

  public static Via parse(String value) {
    if (value == null) {
      throw new SipProtocolException("Missing Via");
    }
    String v = value.trim();
    String[] proto = new String[3];
    int i = 0;
    for (int part = 0; part < 3; part++) {
      i = skipWs(v, i);
      int s = i;
      while (i < v.length() && SipConstants.isTokenChar(v.charAt(i))) {
        i++;
      }
      proto[part] = v.substring(s, i);
      if (proto[part].isEmpty()) {
        throw new SipProtocolException("Malformed Via protocol");
      }
      i = skipWs(v, i);
      if (part < 2) {
        if (i >= v.length() || v.charAt(i) != '/') {
          throw new SipProtocolException("Malformed Via protocol");
        }
        i++;
      }
    }
    if (!proto[0].equalsIgnoreCase("SIP") || !proto[1].equals("2.0")) {
      throw new SipProtocolException("Unsupported Via protocol");
    }
    int semi = v.indexOf(';', i);
    String sentBy = (semi < 0 ? v.substring(i) : v.substring(i, semi)).trim();
    String host;
    int port = SipUri.NO_PORT;
    if (sentBy.startsWith("[")) {
      int close = sentBy.indexOf(']');
      if (close < 0) {
        throw new SipProtocolException("Malformed Via host");
      }
      host = sentBy.substring(0, close + 1);
      String rest = sentBy.substring(close + 1).trim();
      if (rest.startsWith(":")) {
        port = parsePort(rest.substring(1).trim());
      } else if (!rest.isEmpty()) {
        throw new SipProtocolException("Malformed Via sent-by");
      }
    } else {
      int colon = sentBy.indexOf(':');
      host = (colon < 0 ? sentBy : sentBy.substring(0, colon)).trim();
      if (colon >= 0) {
        port = parsePort(sentBy.substring(colon + 1).trim());
      }
    }
    if (host.isEmpty()
        || !host.chars()
            .allMatch(
                c ->
                    Character.isLetterOrDigit(c)
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '['
                        || c == ']'
                        || c == ':')) {
      throw new SipProtocolException("Malformed Via host");
    }
    SipParameters params = SipParameters.parse(semi < 0 ? "" : v.substring(semi));
    return new Via(proto[2].toUpperCase(Locale.ROOT), host, port, params);
  }

  private static int skipWs(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int parsePort(String p) {
    if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
      throw new SipProtocolException("Malformed Via port");
    }
    int port = Integer.parseInt(p);
    if (port > 65535) {
      throw new SipProtocolException("Via port out of range");
    }
    return port;
  }

  public String branch() {
    return params.get("branch");
  }

  /** sent-by as text, used as part of the transaction key. */
  public String sentBy() {
    return port == SipUri.NO_PORT
        ? host.toLowerCase(Locale.ROOT)
        : host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  @Override
  public String toString() {
    return "SIP/2.0/"
        + transport
        + " "
        + host
        + (port == SipUri.NO_PORT ? "" : ":" + port)
        + params;
  }
}
