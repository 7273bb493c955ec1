package dev.switchboard.voice.sip;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Semicolon parameters ({@code ;name=value;flag}) of a URI or header. Names are case-insensitive
 * (stored lower-case); quoted values keep their quotes removed. Linear whitespace around {@code ;}
 * and {@code =} is allowed, as in RFC 4475's torture messages.
 */
public final class SipParameters {
  private final LinkedHashMap<String, String> params = new LinkedHashMap<>();

  /**
   * Parses {@code text} that starts right after the element (it may start with ';' or be empty).
   */
  public static SipParameters parse(String text) {
    SipParameters p = new SipParameters();
    int i = 0;
    int n = text.length();
    while (i < n) {
      i = skipWs(text, i);
      if (i >= n) {
        break;
      }
      if (text.charAt(i) != ';') {
        throw new SipProtocolException("Unexpected character in parameters");
      }
      i = skipWs(text, i + 1);
      int start = i;
      while (i < n && isParamChar(text.charAt(i))) {
        i++;
      }
      String name = text.substring(start, i);
      if (name.isEmpty()) {
        // Tolerate a trailing or doubled ';' (seen in the wild); nothing to record.
        continue;
      }
      i = skipWs(text, i);
      String value = "";
      if (i < n && text.charAt(i) == '=') {
        i = skipWs(text, i + 1);
        if (i < n && text.charAt(i) == '"') {
          int end = SipText.endOfQuoted(text, i);
          if (end < 0) {
            throw new SipProtocolException("Unterminated quoted parameter value");
          }
          value = SipText.unquote(text.substring(i, end + 1));
          i = end + 1;
        } else {
          int vs = i;
          while (i < n && isParamChar(text.charAt(i))) {
            i++;
          }
          value = text.substring(vs, i);
          if (value.isEmpty()) {
            throw new SipProtocolException("Empty value for parameter " + name);
          }
        }
      }
      p.params.put(name.toLowerCase(Locale.ROOT), value);
    }
    return p;
  }

  private static boolean isParamChar(char c) {
    return SipConstants.isTokenChar(c)
        || c == '['
        || c == ']'
        || c == ':'
        || c == '/'
        || c == '&'
        || c == '$'
        || c == '@'
        || c == '?'
        || c == '('
        || c == ')';
  }

  private static int skipWs(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  public String get(String name) {
    return params.get(name.toLowerCase(Locale.ROOT));
  }

  public boolean has(String name) {
    return params.containsKey(name.toLowerCase(Locale.ROOT));
  }

  public SipParameters put(String name, String value) {
    params.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value);
    return this;
  }

  public SipParameters remove(String name) {
    params.remove(name.toLowerCase(Locale.ROOT));
    return this;
  }

  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(params);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      sb.append(';').append(e.getKey());
      if (!e.getValue().isEmpty()) {
        String v = e.getValue();
        boolean token = v.chars().allMatch(c -> isParamChar((char) c));
        sb.append('=').append(token ? v : SipText.quote(v));
      }
    }
    return sb.toString();
  }
}
