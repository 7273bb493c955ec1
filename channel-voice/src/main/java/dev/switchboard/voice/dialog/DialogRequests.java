package dev.switchboard.voice.dialog;

import dev.switchboard.voice.sip.SipConstants;
import dev.switchboard.voice.sip.SipHeaders;
import dev.switchboard.voice.sip.SipRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Builds requests inside a dialog (RFC 3261 §12.2.1.1) and the random identifiers they need. */
public final class DialogRequests {
  private static final SecureRandom RANDOM = new SecureRandom();

  private DialogRequests() {}

  /** 64 random bits as hex: tags and branch suffixes that a third party cannot guess. */
  public static String randomToken() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public static String newBranch() {
    return SipConstants.BRANCH_COOKIE + randomToken();
  }

  /**
   * A request to the peer: Request-URI = remote target, Route = route set (loose routing), our Via
   * with a fresh branch and rport, and the next local CSeq.
   */
  public static SipRequest create(
      Dialog d, String method, String viaTransport, String host, int port, String contact) {
    SipHeaders h = new SipHeaders();
    h.add(
        SipConstants.VIA,
        "SIP/2.0/"
            + viaTransport
            + " "
            + hostPort(host, port)
            + ";branch="
            + newBranch()
            + ";rport");
    h.add(SipConstants.MAX_FORWARDS, "70");
    for (String route : d.routeSet()) {
      h.add(SipConstants.ROUTE, route);
    }
    h.add(SipConstants.FROM, d.local().toString());
    h.add(SipConstants.TO, d.remote().toString());
    h.add(SipConstants.CALL_ID, d.callId());
    h.add(SipConstants.CSEQ, d.nextLocalCSeq() + " " + method);
    h.add(SipConstants.CONTACT, contact);
    return new SipRequest(method, d.remoteTarget(), h, null);
  }

  public static String hostPort(String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return h + ":" + port;
  }
}
