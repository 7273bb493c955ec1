package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 §18.1.1: a message over 1300 bytes for a UDP peer goes over TCP to the same address, and
 * by UDP after all when the peer does not listen on TCP. The caller's long display name, which
 * every response and our BYE repeat, makes every message of the call that large.
 */
@QuarkusTest
class LargeMessagesOverTcpTest {
  private static final String LONG_NAME = "A".repeat(1500);

  private final SipServer server;

  LargeMessagesOverTcpTest(SipServer server) {
    this.server = server;
  }

  @Test
  void largeResponsesAndOurLargeByeReachACallerOverTcp() throws Exception {
    long overTcpBefore = server.stats().largeMessagesOverTcp.get();
    try (RawSipClient udp = new RawSipClient("127.0.0.1", server.port());
        ServerSocket tcp = new ServerSocket()) {
      tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.localPort()));
      tcp.setSoTimeout(5000);
      CallerScript call =
          new CallerScript("UDP", udp.localIp(), udp.localPort(), server.port(), LONG_NAME);
      udp.send(call.invite());
      try (Socket accepted = tcp.accept();
          StreamSipPeer overTcp = new StreamSipPeer(accepted)) {
        String ok = overTcp.nextStartingWith("SIP/2.0 200", 5000);
        assertNotNull(ok, "the large 200 to the INVITE came over TCP");
        assertTrue(ok.length() > 1300);
        assertTrue(ok.contains(LONG_NAME));
        udp.send(call.ack(ok));
        udp.send(call.dtmfInfo(ok, '#')); // the echo test mode hangs up on '#'
        String bye = overTcp.nextStartingWith("BYE ", 5000);
        assertNotNull(bye, "our large BYE came over TCP");
        assertTrue(
            RawSipClient.header(bye, "Via").startsWith("SIP/2.0/TCP"),
            () -> "a request sent over TCP says so in its Via: " + bye);
        overTcp.send(CallerScript.okTo(bye));
      }
      List<String> overUdp = udp.receive(500);
      assertTrue(
          overUdp.stream().noneMatch(m -> m.contains(LONG_NAME)),
          () -> "nothing large came by UDP: " + overUdp);
    }
    assertTrue(server.stats().largeMessagesOverTcp.get() >= overTcpBefore + 3);
  }

  @Test
  void aCallerWithoutTcpStillGetsTheLargeAnswerByUdp() throws Exception {
    long fallbackBefore = server.stats().largeMessagesOverUdp.get();
    try (RawSipClient udp = new RawSipClient("127.0.0.1", server.port())) {
      CallerScript call =
          new CallerScript("UDP", udp.localIp(), udp.localPort(), server.port(), LONG_NAME);
      udp.send(call.invite());
      String ok = udp.finalResponse(call.callId, 1, 5000);
      assertNotNull(ok, "the 200 came by UDP once TCP was refused");
      assertEquals(200, RawSipClient.status(ok));
      assertTrue(ok.contains(LONG_NAME));
      udp.send(call.ack(ok));
      udp.send(call.dtmfInfo(ok, '#'));
      boolean byeSeen = false;
      for (String m : udp.receive(3000)) {
        if (m.startsWith("BYE ")) {
          byeSeen = true;
          udp.send(CallerScript.okTo(m));
        }
      }
      assertTrue(byeSeen, "our BYE came by UDP too");
    }
    assertTrue(server.stats().largeMessagesOverUdp.get() > fallbackBefore);
  }
}
