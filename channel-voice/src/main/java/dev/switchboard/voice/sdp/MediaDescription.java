package dev.switchboard.voice.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One {@code m=} section with its {@code c=} and {@code a=} lines. */
public record MediaDescription(
    String media,
    int port,
    String proto,
    List<String> formats,
    String connectionAddress,
    List<String> attributes) {

  /** Value of the first {@code a=name:value} (or "" for a flag), or {@code null}. */
  public String attribute(String name) {
    for (String a : attributes) {
      int colon = a.indexOf(':');
      String n = colon < 0 ? a : a.substring(0, colon);
      if (n.equalsIgnoreCase(name)) {
        return colon < 0 ? "" : a.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** All values of {@code a=name:value}. */
  public List<String> attributes(String name) {
    List<String> out = new ArrayList<>();
    for (String a : attributes) {
      int colon = a.indexOf(':');
      if (colon > 0 && a.substring(0, colon).equalsIgnoreCase(name)) {
        out.add(a.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /** Encoding name for a payload type from rtpmap, or the RFC 3551 static name. */
  public String encodingName(String pt) {
    for (String map : attributes("rtpmap")) {
      int sp = map.indexOf(' ');
      if (sp > 0 && map.substring(0, sp).equals(pt)) {
        return map.substring(sp + 1).trim().toUpperCase(Locale.ROOT);
      }
    }
    return switch (pt) {
      case "0" -> "PCMU/8000";
      case "8" -> "PCMA/8000";
      case "9" -> "G722/8000";
      case "18" -> "G729/8000";
      default -> null;
    };
  }

  public String fmtp(String pt) {
    for (String f : attributes("fmtp")) {
      int sp = f.indexOf(' ');
      if (sp > 0 && f.substring(0, sp).equals(pt)) {
        return f.substring(sp + 1).trim();
      }
    }
    return null;
  }

  /** The direction attribute, or the session-level fallback. */
  public MediaDirection direction(MediaDirection sessionLevel) {
    for (String a : attributes) {
      MediaDirection d = MediaDirection.fromAttribute(a.toLowerCase(Locale.ROOT));
      if (d != null) {
        return d;
      }
    }
    return sessionLevel;
  }
}
