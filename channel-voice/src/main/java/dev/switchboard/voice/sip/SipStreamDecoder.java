package dev.switchboard.voice.sip;

import dev.switchboard.voice.sip.SipParseResult.Malformed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Frames SIP messages on a byte stream (TCP) by Content-Length (RFC 3261 §18.3). One instance per
 * connection, not thread-safe. State machine: skip keep-alive CRLFs, collect the header section,
 * then collect the body. A message that would exceed the size limit, or a header section without a
 * usable Content-Length, loses the framing: the result is {@code fatal} and the connection must be
 * closed after answering.
 */
public final class SipStreamDecoder {
  private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");

  private enum State {
    SKIP_CRLF,
    HEADERS,
    BODY,
    BROKEN
  }

  private final SipMessageParser parser;
  private byte[] buf = new byte[4096];
  private int len;
  private State state = State.SKIP_CRLF;
  private int headerEnd;
  private int bodyLength;
  private int scanFrom;

  public SipStreamDecoder(SipMessageParser parser) {
    this.parser = parser;
  }

  /** Feeds bytes read from the connection; returns zero or more complete results. */
  public List<SipParseResult> feed(byte[] data, int offset, int length) {
    List<SipParseResult> out = new ArrayList<>(1);
    if (state == State.BROKEN) {
      return out;
    }
    append(data, offset, length);
    boolean progress = true;
    while (progress) {
      progress = false;
      switch (state) {
        case SKIP_CRLF -> {
          int i = 0;
          while (i < len && (buf[i] == '\r' || buf[i] == '\n')) {
            i++;
          }
          consume(i);
          if (len > 0) {
            state = State.HEADERS;
            scanFrom = 0;
            progress = true;
          }
        }
        case HEADERS -> {
          int end = findHeaderEnd();
          if (end < 0) {
            if (len > parser.limits().maxMessageBytes()) {
              out.add(broken("Header section too large"));
            }
            break;
          }
          headerEnd = end;
          long cl = contentLength(end);
          if (cl == -2 || cl > parser.limits().maxMessageBytes() - end) {
            // Without a trustworthy length the next message cannot be found: parse for the
            // reason and the addressable headers, then stop reading.
            SipParseResult r = parser.parseDatagram(buf, 0, Math.min(len, end));
            out.add(
                r instanceof Malformed m
                    ? new Malformed(m.status(), m.reason(), m.partial(), true)
                    : new Malformed(
                        cl == -2 ? 400 : 513,
                        cl == -2 ? "Invalid Content-Length" : "Message too large",
                        r instanceof SipParseResult.Parsed p && p.message() instanceof SipRequest q
                            ? q
                            : null,
                        true));
            state = State.BROKEN;
            break;
          }
          bodyLength = cl < 0 ? 0 : (int) cl;
          state = State.BODY;
          progress = true;
        }
        case BODY -> {
          int total = headerEnd + bodyLength;
          if (len >= total) {
            out.add(parser.parseFramed(buf, 0, total));
            consume(total);
            state = State.SKIP_CRLF;
            progress = true;
          }
        }
        case BROKEN -> {}
      }
    }
    return out;
  }

  public boolean isBroken() {
    return state == State.BROKEN;
  }

  private Malformed broken(String reason) {
    state = State.BROKEN;
    return new Malformed(513, reason, null, true);
  }

  /** Index just past the empty line that ends the header section, or -1. */
  private int findHeaderEnd() {
    for (int i = Math.max(0, scanFrom); i < len; i++) {
      if (buf[i] == '\n') {
        if (i + 1 < len && buf[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    scanFrom = Math.max(0, len - 3);
    return -1;
  }

  /** Content-Length from the header block: -1 absent, -2 invalid or repeated. */
  private long contentLength(int end) {
    String head = new String(buf, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    long found = -1;
    for (String line : LINE_BREAK.split(head)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
        if (found != -1) {
          return -2;
        }
        long v = SipMessageParser.parseContentLength(line.substring(colon + 1));
        if (v < 0) {
          return -2;
        }
        found = v;
      }
    }
    return found;
  }

  private void append(byte[] data, int offset, int length) {
    if (len + length > buf.length) {
      int cap = Math.max(buf.length * 2, len + length);
      buf = Arrays.copyOf(buf, cap);
    }
    System.arraycopy(data, offset, buf, len, length);
    len += length;
  }

  private void consume(int n) {
    if (n == 0) {
      return;
    }
    System.arraycopy(buf, n, buf, 0, len - n);
    len -= n;
    scanFrom = 0;
  }
}
