package dev.switchboard.voice.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A deliberately dumb SIP peer for tests: sends hand-written datagrams from a chosen loopback
 * address and returns the raw responses. Independent of the code under test.
 */
final class RawSipClient implements AutoCloseable {
  private final DatagramSocket socket;
  private final int serverPort;

  RawSipClient(String localIp, int serverPort) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(localIp), 0));
    this.serverPort = serverPort;
  }

  String localIp() {
    return socket.getLocalAddress().getHostAddress();
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void send(String message) throws IOException {
    byte[] b = message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), serverPort));
  }

  /** Responses received until {@code quietMs} pass without one. */
  List<String> receive(int quietMs) throws IOException {
    List<String> out = new ArrayList<>();
    socket.setSoTimeout(quietMs);
    byte[] buf = new byte[65535];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return out;
      }
      out.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }
  }

  /**
   * The first final response (>= 200) for that Call-ID and CSeq number within {@code timeoutMs}, or
   * null. Other datagrams (retransmissions for other calls) are skipped.
   */
  String finalResponse(String callId, int cseq, int timeoutMs) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    byte[] buf = new byte[65535];
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout((int) left);
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      String cs = header(r, "CSeq");
      if (status(r) >= 200
          && callId.equals(header(r, "Call-ID"))
          && cs != null
          && cs.startsWith(cseq + " ")) {
        return r;
      }
    }
  }

  static int status(String response) {
    return response.startsWith("SIP/2.0 ") ? Integer.parseInt(response.substring(8, 11)) : -1;
  }

  static String header(String message, String name) {
    for (String line : message.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** An INVITE with a PCMU offer. */
  String invite(String callId, int cseq, String branch, String extraHeaders) {
    // Shaped like a softphone's INVITE (headers and SDP of typical size).
    String sdp =
        "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
    return "INVITE sip:+15005550001@127.0.0.1:"
        + serverPort
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + localIp()
        + ":"
        + localPort()
        + ";branch="
        + branch
        + ";rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:+12125551212@"
        + localIp()
        + ">;tag=raw1\r\n"
        + "To: <sip:+15005550001@127.0.0.1>\r\n"
        + "Call-ID: "
        + callId
        + "\r\n"
        + "CSeq: "
        + cseq
        + " INVITE\r\n"
        + "Contact: <sip:raw@"
        + localIp()
        + ":"
        + localPort()
        + ">\r\n"
        + "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, UPDATE\r\n"
        + "Supported: replaces, timer\r\n"
        + "User-Agent: raw-test-client/1.0\r\n"
        + extraHeaders
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + sdp.length()
        + "\r\n\r\n"
        + sdp;
  }

  static String newCallId() {
    return UUID.randomUUID() + "@raw";
  }

  static String newBranch() {
    return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
  }

  @Override
  public void close() {
    socket.close();
  }
}
