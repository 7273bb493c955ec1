package dev.switchboard.voice.transport;

import java.util.UUID;

/**
 * The requests of one caller's call, written by hand for a given transport and local address: the
 * INVITE, the ACK and BYE that follow a 200, an INFO carrying a DTMF digit and the 200 to our BYE.
 */
final class CallerScript {
  private final String transport;
  private final String localIp;
  private final int localPort;
  private final int serverPort;
  private final String fromDisplayName;
  final String callId = UUID.randomUUID() + "@script";

  /**
   * @param transport the Via transport (UDP, TCP or TLS)
   * @param fromDisplayName the caller's display name, which every response repeats
   */
  CallerScript(
      String transport, String localIp, int localPort, int serverPort, String fromDisplayName) {
    this.transport = transport;
    this.localIp = localIp;
    this.localPort = localPort;
    this.serverPort = serverPort;
    this.fromDisplayName = fromDisplayName;
  }

  String options() {
    return "OPTIONS sip:switchboard@127.0.0.1:"
        + serverPort
        + " SIP/2.0\r\n"
        + via()
        + from()
        + "To: <sip:switchboard@127.0.0.1>\r\nCall-ID: "
        + callId
        + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  }

  String invite() {
    return invite("");
  }

  /** The INVITE with extra header lines (each ending in CRLF), e.g. a Record-Route. */
  String invite(String extraHeaders) {
    String sdp =
        "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
    return "INVITE sip:+15005550001@127.0.0.1:"
        + serverPort
        + " SIP/2.0\r\n"
        + via()
        + from()
        + "To: <sip:+15005550001@127.0.0.1>\r\nCall-ID: "
        + callId
        + "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
        + "Contact: <sip:caller@"
        + localIp
        + ":"
        + localPort
        + (transport.equals("UDP") ? "" : ";transport=" + transport.toLowerCase())
        + ">\r\n"
        + extraHeaders
        + "Content-Type: application/sdp\r\nContent-Length: "
        + sdp.length()
        + "\r\n\r\n"
        + sdp;
  }

  String ack(String ok) {
    return inDialog("ACK", ok, 1, "", "");
  }

  String dtmfInfo(String ok, char digit) {
    String body = "Signal=" + digit + "\r\nDuration=160\r\n";
    return inDialog("INFO", ok, 2, "Content-Type: application/dtmf-relay\r\n", body);
  }

  /** The 200 answering a request of ours, echoing its Via, From, To, Call-ID and CSeq. */
  static String okTo(String request) {
    StringBuilder r = new StringBuilder("SIP/2.0 200 OK\r\n");
    for (String line : request.split("\r\n")) {
      String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
      if (name.equalsIgnoreCase("Via")
          || name.equalsIgnoreCase("From")
          || name.equalsIgnoreCase("To")
          || name.equalsIgnoreCase("Call-ID")
          || name.equalsIgnoreCase("CSeq")) {
        r.append(line).append("\r\n");
      }
    }
    return r.append("Content-Length: 0\r\n\r\n").toString();
  }

  private String inDialog(String method, String ok, int cseq, String headers, String body) {
    String target = RawSipClient.header(ok, "Contact").replaceAll("^<|>$", "");
    return method
        + " "
        + target
        + " SIP/2.0\r\n"
        + via()
        + from()
        + "To: "
        + RawSipClient.header(ok, "To")
        + "\r\nCall-ID: "
        + callId
        + "\r\nCSeq: "
        + cseq
        + " "
        + method
        + "\r\nMax-Forwards: 70\r\n"
        + headers
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private String via() {
    return "Via: SIP/2.0/"
        + transport
        + " "
        + localIp
        + ":"
        + localPort
        + ";branch=z9hG4bK"
        + UUID.randomUUID().toString().replace("-", "")
        + ";rport\r\n";
  }

  private String from() {
    return "From: \"" + fromDisplayName + "\" <sip:+12125551212@" + localIp + ">;tag=script1\r\n";
  }
}
