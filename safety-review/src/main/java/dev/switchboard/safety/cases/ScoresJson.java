package dev.switchboard.safety.cases;

import java.util.Map;
import java.util.TreeMap;

/** Category scores as a JSON object; category names come from our own gateway, numbers only. */
final class ScoresJson {
  private ScoresJson() {}

  static String write(Map<String, Double> scores) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Double> e : new TreeMap<>(scores).entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(escape(e.getKey())).append("\":");
      double v = e.getValue();
      sb.append(Double.isFinite(v) ? Double.toString(v) : "0");
    }
    return sb.append('}').toString();
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        sb.append('\\').append(ch);
      } else if (ch < 0x20) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
