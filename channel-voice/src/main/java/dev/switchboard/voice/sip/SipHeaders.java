package dev.switchboard.voice.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ordered header fields of one message. Names are stored in canonical form (compact forms
 * expanded), compared case-insensitively; the order of fields with the same name is kept because it
 * is meaningful for Via, Route and Record-Route.
 */
public final class SipHeaders {
  /** One header field line (after unfolding). */
  public record Field(String name, String value) {}

  private final List<Field> fields;

  public SipHeaders() {
    this.fields = new ArrayList<>();
  }

  private SipHeaders(List<Field> fields) {
    this.fields = new ArrayList<>(fields);
  }

  public SipHeaders copy() {
    return new SipHeaders(fields);
  }

  public SipHeaders add(String name, String value) {
    fields.add(new Field(SipConstants.canonicalHeaderName(name), value));
    return this;
  }

  /** Adds at the top, as a proxy adds its Via. */
  public SipHeaders addFirst(String name, String value) {
    fields.add(0, new Field(SipConstants.canonicalHeaderName(name), value));
    return this;
  }

  /** Replaces every field of that name with one field, keeping the position of the first. */
  public SipHeaders set(String name, String value) {
    String canonical = SipConstants.canonicalHeaderName(name);
    int at = -1;
    for (int i = fields.size() - 1; i >= 0; i--) {
      if (fields.get(i).name().equalsIgnoreCase(canonical)) {
        fields.remove(i);
        at = i;
      }
    }
    if (at < 0) {
      fields.add(new Field(canonical, value));
    } else {
      fields.add(at, new Field(canonical, value));
    }
    return this;
  }

  /**
   * Replaces the first list element of a list header (e.g. the top Via) in place: the first field
   * keeps its position and any further elements on the same line move to a field right after it.
   */
  public SipHeaders replaceFirstValue(String name, String value) {
    String canonical = SipConstants.canonicalHeaderName(name);
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (f.name().equalsIgnoreCase(canonical)) {
        List<String> parts = splitList(f.value());
        fields.set(i, new Field(canonical, value));
        if (parts.size() > 1) {
          fields.add(
              i + 1, new Field(canonical, String.join(", ", parts.subList(1, parts.size()))));
        }
        return this;
      }
    }
    fields.add(new Field(canonical, value));
    return this;
  }

  public SipHeaders remove(String name) {
    String canonical = SipConstants.canonicalHeaderName(name);
    fields.removeIf(f -> f.name().equalsIgnoreCase(canonical));
    return this;
  }

  /** The first field value of that name. */
  public Optional<String> first(String name) {
    String canonical = SipConstants.canonicalHeaderName(name);
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(canonical)) {
        return Optional.of(f.value());
      }
    }
    return Optional.empty();
  }

  public String firstOrNull(String name) {
    return first(name).orElse(null);
  }

  public boolean contains(String name) {
    return first(name).isPresent();
  }

  /** Number of field lines with that name (not list elements). */
  public int count(String name) {
    String canonical = SipConstants.canonicalHeaderName(name);
    int n = 0;
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(canonical)) {
        n++;
      }
    }
    return n;
  }

  /** Raw field values of that name, in order, without splitting lists. */
  public List<String> all(String name) {
    String canonical = SipConstants.canonicalHeaderName(name);
    List<String> out = new ArrayList<>();
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(canonical)) {
        out.add(f.value());
      }
    }
    return out;
  }

  /**
   * List elements of that name: every field value split at top-level commas (outside quoted strings
   * and angle brackets) when the header is a list header, trimmed and without empty elements.
   */
  public List<String> values(String name) {
    boolean list = SipConstants.LIST_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    List<String> out = new ArrayList<>();
    for (String v : all(name)) {
      if (list) {
        for (String part : splitList(v)) {
          if (!part.isEmpty()) {
            out.add(part);
          }
        }
      } else {
        out.add(v.trim());
      }
    }
    return out;
  }

  /** True when a list header (Supported, Require…) holds that option tag, case-insensitively. */
  public boolean hasOption(String name, String tag) {
    for (String v : values(name)) {
      if (v.equalsIgnoreCase(tag)) {
        return true;
      }
    }
    return false;
  }

  public List<Field> fields() {
    return Collections.unmodifiableList(fields);
  }

  public int size() {
    return fields.size();
  }

  /** Splits at commas that are outside quotes and angle brackets; a backslash escapes in quotes. */
  public static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean escaped = false;
    int angle = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        cur.append(c);
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          cur.append(c);
        }
        case '<' -> {
          angle++;
          cur.append(c);
        }
        case '>' -> {
          angle = Math.max(0, angle - 1);
          cur.append(c);
        }
        case ',' -> {
          if (angle == 0) {
            out.add(cur.toString().trim());
            cur.setLength(0);
          } else {
            cur.append(c);
          }
        }
        default -> cur.append(c);
      }
    }
    out.add(cur.toString().trim());
    return out;
  }
}
