package dev.switchboard.voice.sip;

/** Quoted-string and escape helpers shared by the value parsers. */
public final class SipText {
  private SipText() {}

  /** Index of the closing quote of the quoted string starting at {@code start}, or -1. */
  public static int endOfQuoted(String s, int start) {
    boolean escaped = false;
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }

  /** Removes the surrounding quotes and quoted-pair backslashes. */
  public static String unquote(String quoted) {
    String inner = quoted.substring(1, quoted.length() - 1);
    StringBuilder sb = new StringBuilder(inner.length());
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length()) {
        sb.append(inner.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  public static String quote(String raw) {
    StringBuilder sb = new StringBuilder(raw.length() + 2).append('"');
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      if (c >= 0x20 || c == '\t') {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Decodes %HH escapes (RFC 3261 §19.1.2); a broken escape is a protocol error. */
  public static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new SipProtocolException("Truncated %-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new SipProtocolException("Invalid %-escape");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
