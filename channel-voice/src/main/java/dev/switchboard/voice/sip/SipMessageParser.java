package dev.switchboard.voice.sip;

import dev.switchboard.voice.sip.SipParseResult.Malformed;
import dev.switchboard.voice.sip.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses one SIP message (RFC 3261 §7) from bytes with an explicit line state machine. Handles
 * compact header names, line folding, leading CRLFs, bare-LF line ends, and Content-Length framing.
 * It validates the headers every transaction needs (Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length) so later layers can rely on them. Limits come from {@link SipParserLimits}. It
 * never throws: every problem is a {@link Malformed} result.
 *
 * <p>Instances are stateless and thread-safe; the streaming state lives in {@link
 * SipStreamDecoder}.
 */
public final class SipMessageParser {
  private static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]+\\.[0-9]+");

  private enum State {
    START_LINE,
    HEADERS,
    BODY
  }

  private final SipParserLimits limits;

  public SipMessageParser(SipParserLimits limits) {
    this.limits = limits;
  }

  public SipParserLimits limits() {
    return limits;
  }

  /**
   * Parses a datagram. Without Content-Length the body is the rest of the datagram; with it, extra
   * bytes are discarded and too few bytes are an error (RFC 3261 §18.3).
   */
  public SipParseResult parseDatagram(byte[] data, int offset, int length) {
    return parse(data, offset, length, false);
  }

  public SipParseResult parseDatagram(byte[] data) {
    return parseDatagram(data, 0, data.length);
  }

  /**
   * Parses exactly one framed message from a stream transport: the bytes end where Content-Length
   * says; Content-Length is mandatory.
   */
  public SipParseResult parseFramed(byte[] data, int offset, int length) {
    return parse(data, offset, length, true);
  }

  private SipParseResult parse(byte[] data, int offset, int length, boolean stream) {
    try {
      return parseUnchecked(data, offset, length, stream);
    } catch (RuntimeException e) {
      // A bug in a value parser must not reach the socket loop; count it as malformed input.
      return new Malformed(400, "Unparseable message", null, stream);
    }
  }

  private SipParseResult parseUnchecked(byte[] data, int offset, int length, boolean stream) {
    if (length > limits.maxMessageBytes()) {
      return new Malformed(513, "Message too large", null, stream);
    }
    int end = offset + length;
    int pos = offset;
    State state = State.START_LINE;
    String startLine = null;
    List<StringBuilder> lines = new ArrayList<>();
    while (state != State.BODY) {
      int nl = indexOf(data, pos, end, (byte) '\n');
      if (nl < 0) {
        return new Malformed(400, "Header section not terminated by an empty line", null, stream);
      }
      int lineEnd = nl > pos && data[nl - 1] == '\r' ? nl - 1 : nl;
      if (lineEnd - pos > limits.maxLineLength()) {
        return new Malformed(400, "Line too long", null, stream);
      }
      for (int i = pos; i < lineEnd; i++) {
        byte b = data[i];
        // NUL is legal only as a quoted-pair (RFC 4475 "intmeth"); a bare CR never is.
        if (b == '\r' || (b == 0 && (i == pos || data[i - 1] != '\\'))) {
          return new Malformed(400, "Control character in header section", null, stream);
        }
      }
      String line = new String(data, pos, lineEnd - pos, StandardCharsets.UTF_8);
      pos = nl + 1;
      switch (state) {
        case START_LINE -> {
          if (!line.isEmpty()) {
            startLine = line;
            state = State.HEADERS;
          }
        }
        case HEADERS -> {
          if (line.isEmpty()) {
            state = State.BODY;
          } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            if (lines.isEmpty()) {
              return new Malformed(400, "Continuation line before any header", null, stream);
            }
            StringBuilder last = lines.get(lines.size() - 1);
            last.append(' ').append(line.trim());
            if (last.length() > limits.maxLineLength()) {
              return new Malformed(400, "Folded header too long", null, stream);
            }
          } else {
            if (lines.size() >= limits.maxHeaders()) {
              return new Malformed(400, "Too many headers", null, stream);
            }
            lines.add(new StringBuilder(line));
          }
        }
        case BODY -> throw new IllegalStateException("unreachable");
      }
    }
    SipHeaders headers = new SipHeaders();
    for (StringBuilder l : lines) {
      int colon = l.indexOf(":");
      if (colon <= 0) {
        return new Malformed(400, "Header line without colon", null, stream);
      }
      String name = rtrim(l.substring(0, colon));
      if (!SipConstants.isToken(name)) {
        return new Malformed(400, "Invalid header name", null, stream);
      }
      headers.add(name, l.substring(colon + 1).trim());
    }
    StartLine sl = parseStartLine(startLine);
    SipRequest partial =
        sl instanceof RequestLine rl ? new SipRequest(rl.method, rl.uri, headers, null) : null;
    String problem = checkHeaders(headers);
    if (sl instanceof BadLine bad) {
      // A broken request line still gets a 400 when the headers say where to send it.
      SipRequest addressable =
          problem == null && !startLine.regionMatches(true, 0, "SIP/", 0, 4)
              ? new SipRequest(
                  CSeq.parse(headers.firstOrNull(SipConstants.CSEQ)).method(),
                  "sip:invalid.invalid",
                  headers,
                  null)
              : null;
      return new Malformed(bad.status, bad.reason, addressable, stream);
    }
    if (problem != null) {
      return new Malformed(400, problem, partial, stream);
    }
    int remaining = end - pos;
    String cl = headers.firstOrNull(SipConstants.CONTENT_LENGTH);
    int bodyLength;
    if (cl == null) {
      if (stream) {
        return new Malformed(400, "Content-Length required on stream transports", partial, false);
      }
      bodyLength = remaining;
    } else {
      long parsed = parseContentLength(cl);
      if (parsed < 0) {
        return new Malformed(400, "Invalid Content-Length", partial, stream);
      }
      if (parsed > remaining) {
        return new Malformed(400, "Content-Length exceeds message", partial, stream);
      }
      bodyLength = (int) parsed;
    }
    byte[] body = Arrays.copyOfRange(data, pos, pos + bodyLength);
    if (sl instanceof RequestLine rl) {
      SipRequest req = new SipRequest(rl.method, rl.uri, headers, body);
      String cseqMethod = CSeq.parse(headers.firstOrNull(SipConstants.CSEQ)).method();
      if (!cseqMethod.equals(rl.method)) {
        return new Malformed(400, "CSeq method does not match request method", req, false);
      }
      if (rl.badVersion) {
        return new Malformed(505, "Version Not Supported", req, false);
      }
      return new Parsed(req);
    }
    StatusLine st = (StatusLine) sl;
    return new Parsed(new SipResponse(st.status, st.reason, headers, body));
  }

  private sealed interface StartLine permits RequestLine, StatusLine, BadLine {}

  private record RequestLine(String method, String uri, boolean badVersion) implements StartLine {}

  private record StatusLine(int status, String reason) implements StartLine {}

  private record BadLine(int status, String reason) implements StartLine {}

  /**
   * Request-Line = Method SP Request-URI SP SIP-Version; exactly one SP between (RFC 4475 3.1.2.x).
   */
  private static StartLine parseStartLine(String line) {
    if (line.regionMatches(true, 0, "SIP/", 0, 4)) {
      int sp1 = line.indexOf(' ');
      if (sp1 < 0 || !line.substring(0, sp1).equalsIgnoreCase(SipConstants.SIP_VERSION)) {
        return new BadLine(400, "Malformed status line");
      }
      if (line.length() < sp1 + 4) {
        return new BadLine(400, "Malformed status line");
      }
      String code = line.substring(sp1 + 1, sp1 + 4);
      if (!code.chars().allMatch(Character::isDigit)
          || (line.length() > sp1 + 4 && line.charAt(sp1 + 4) != ' ')) {
        return new BadLine(400, "Malformed status code");
      }
      int status = Integer.parseInt(code);
      if (status < 100 || status > 699) {
        return new BadLine(400, "Status code out of range");
      }
      String reason = line.length() > sp1 + 5 ? line.substring(sp1 + 5) : "";
      return new StatusLine(status, reason);
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3) {
      return new BadLine(400, "Malformed request line");
    }
    String method = parts[0];
    if (!SipConstants.isToken(method)) {
      return new BadLine(400, "Invalid method");
    }
    try {
      SipUri.parse(parts[1]);
    } catch (SipProtocolException e) {
      return new BadLine(400, "Invalid Request-URI");
    }
    String version = parts[2];
    if (version.equalsIgnoreCase(SipConstants.SIP_VERSION)) {
      return new RequestLine(method, parts[1], false);
    }
    if (version.regionMatches(true, 0, "SIP/", 0, 4)
        && VERSION_NUMBER.matcher(version.substring(4)).matches()) {
      return new RequestLine(method, parts[1], true);
    }
    return new BadLine(400, "Malformed SIP version");
  }

  /** Checks the headers every transaction relies on; returns the problem or {@code null}. */
  private static String checkHeaders(SipHeaders h) {
    for (String single : SipConstants.SINGLE_HEADERS) {
      if (h.count(single) > 1) {
        return "Duplicate " + SipConstants.canonicalHeaderName(single) + " header";
      }
    }
    try {
      List<String> vias = h.values(SipConstants.VIA);
      if (vias.isEmpty()) {
        return "Missing Via";
      }
      for (String v : vias) {
        Via.parse(v);
      }
      if (!h.contains(SipConstants.FROM)) {
        return "Missing From";
      }
      NameAddress.parse(h.firstOrNull(SipConstants.FROM));
      if (!h.contains(SipConstants.TO)) {
        return "Missing To";
      }
      NameAddress.parse(h.firstOrNull(SipConstants.TO));
      String callId = h.firstOrNull(SipConstants.CALL_ID);
      if (callId == null || callId.isEmpty() || callId.chars().anyMatch(c -> c <= ' ')) {
        return "Missing or invalid Call-ID";
      }
      CSeq.parse(h.firstOrNull(SipConstants.CSEQ));
      String mf = h.firstOrNull(SipConstants.MAX_FORWARDS);
      if (mf != null
          && (mf.isEmpty()
              || mf.length() > 10
              || !mf.chars().allMatch(Character::isDigit)
              || Long.parseLong(mf) > 255)) {
        return "Invalid Max-Forwards";
      }
      String ct = h.firstOrNull(SipConstants.CONTENT_TYPE);
      if (ct != null && !ct.isEmpty() && ct.indexOf('/') < 0) {
        return "Invalid Content-Type";
      }
    } catch (SipProtocolException e) {
      return e.getMessage();
    }
    return null;
  }

  /** Content-Length value, or -1 when it is not a plain non-negative decimal number. */
  static long parseContentLength(String value) {
    String v = value.trim();
    if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    long n = Long.parseLong(v);
    return n > Integer.MAX_VALUE ? -1 : n;
  }

  private static int indexOf(byte[] data, int from, int end, byte b) {
    for (int i = from; i < end; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String rtrim(String s) {
    int e = s.length();
    while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
      e--;
    }
    return s.substring(0, e);
  }

  /** Lower-case method for logs and metrics tags; keeps unknown methods bounded. */
  public static String methodTag(String method) {
    return method.length() > 16 ? "other" : method.toLowerCase(Locale.ROOT);
  }
}
