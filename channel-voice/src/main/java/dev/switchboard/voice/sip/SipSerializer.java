package dev.switchboard.voice.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a message in wire form: one header field per line in canonical (long) names, and a
 * Content-Length that always matches the body, so the output frames correctly on TCP.
 */
public final class SipSerializer {
  private SipSerializer() {}

  public static byte[] encode(SipMessage message) {
    StringBuilder sb = new StringBuilder(512);
    if (message instanceof SipRequest r) {
      sb.append(r.method()).append(' ').append(r.uri()).append(" SIP/2.0\r\n");
    } else if (message instanceof SipResponse r) {
      sb.append("SIP/2.0 ")
          .append(r.status())
          .append(' ')
          .append(sanitize(r.reason()))
          .append("\r\n");
    }
    for (SipHeaders.Field f : message.headers().fields()) {
      if (f.name().equalsIgnoreCase(SipConstants.CONTENT_LENGTH)) {
        continue;
      }
      sb.append(f.name()).append(": ").append(sanitize(f.value())).append("\r\n");
    }
    byte[] body = message.body();
    sb.append(SipConstants.CONTENT_LENGTH).append(": ").append(body.length).append("\r\n\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
    out.write(head, 0, head.length);
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  public static String encodeToString(SipMessage message) {
    return new String(encode(message), StandardCharsets.UTF_8);
  }

  /** A header value can never inject a line: CR and LF become spaces. */
  private static String sanitize(String v) {
    if (v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return v.replace('\r', ' ').replace('\n', ' ');
  }
}
