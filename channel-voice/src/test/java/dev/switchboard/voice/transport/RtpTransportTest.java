package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real loopback UDP through the node's RTP transport. */
class RtpTransportTest {
  private record Received(byte[] data, InetSocketAddress source) {}

  private RtpTransport transport;
  private DatagramSocket peer;

  @BeforeEach
  void start() throws Exception {
    transport = RtpTransport.start("test-rtp-in");
    peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    peer.setSoTimeout(2000);
  }

  @AfterEach
  void stop() {
    peer.close();
    transport.close();
  }

  @Test
  void datagramsInReachTheirListenerWithTheirSourceAndRepliesLeaveFromTheBoundPorts()
      throws Exception {
    BlockingQueue<Received> rtp = new LinkedBlockingQueue<>();
    BlockingQueue<Received> rtcp = new LinkedBlockingQueue<>();
    int port = FreePorts.rtpPair();
    RtpSocket socket =
        transport.bind(
            "127.0.0.1",
            port,
            (data, source, nanos) -> rtp.add(new Received(data, source)),
            (data, source, nanos) -> rtcp.add(new Received(data, source)));

    send(new byte[] {1, 2, 3}, port);
    send(new byte[] {9}, port + 1);

    Received media = rtp.poll(2, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {1, 2, 3}, media.data());
    assertEquals(peer.getLocalSocketAddress(), media.source());
    assertArrayEquals(new byte[] {9}, rtcp.poll(2, TimeUnit.SECONDS).data());

    byte[] buffer = {7, 7, 7, 42, 0};
    socket.sendRtp(buffer, 4, media.source()); // only the first 4 bytes
    DatagramPacket out = new DatagramPacket(new byte[64], 64);
    peer.receive(out);
    assertEquals(4, out.getLength());
    assertEquals(42, out.getData()[3]);
    assertEquals(port, out.getPort(), "symmetric RTP: sent from the port we receive on");
    socket.sendRtcp(new byte[] {5}, 1, media.source());
    peer.receive(out);
    assertEquals(port + 1, out.getPort());
    assertEquals(0, transport.sendFailures());
    socket.close();
  }

  @Test
  void aClosedSocketReceivesNothingMoreAndItsPortsAreFreeAgain() throws Exception {
    BlockingQueue<Received> rtp = new LinkedBlockingQueue<>();
    int port = FreePorts.rtpPair();
    RtpSocket socket =
        transport.bind(
            "127.0.0.1", port, (d, s, n) -> rtp.add(new Received(d, s)), (d, s, n) -> {});
    socket.close();
    send(new byte[] {1}, port);
    assertNull(rtp.poll(300, TimeUnit.MILLISECONDS));

    // Bound again by the next call that gets this port.
    RtpSocket again =
        transport.bind(
            "127.0.0.1", port, (d, s, n) -> rtp.add(new Received(d, s)), (d, s, n) -> {});
    send(new byte[] {2}, port);
    assertArrayEquals(new byte[] {2}, rtp.poll(2, TimeUnit.SECONDS).data());
    again.close();
  }

  @Test
  void aListenerThatThrowsLosesOnlyItsOwnDatagram() throws Exception {
    BlockingQueue<Received> healthy = new LinkedBlockingQueue<>();
    int brokenPort = FreePorts.rtpPair();
    int healthyPort = FreePorts.rtpPair();
    RtpSocket broken =
        transport.bind(
            "127.0.0.1",
            brokenPort,
            (d, s, n) -> {
              throw new IllegalStateException("broken call");
            },
            (d, s, n) -> {});
    RtpSocket working =
        transport.bind(
            "127.0.0.1",
            healthyPort,
            (d, s, n) -> healthy.add(new Received(d, s)),
            (d, s, n) -> {});

    send(new byte[] {1}, brokenPort);
    send(new byte[] {2}, healthyPort);
    send(new byte[] {3}, brokenPort);
    send(new byte[] {4}, healthyPort);

    assertArrayEquals(new byte[] {2}, healthy.poll(2, TimeUnit.SECONDS).data());
    assertArrayEquals(new byte[] {4}, healthy.poll(2, TimeUnit.SECONDS).data());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (transport.listenerFailures() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(2, transport.listenerFailures());
    broken.close();
    working.close();
  }

  @Test
  void aPortInUseIsRefusedAndLeavesNothingBound() throws Exception {
    int port = FreePorts.rtpPair();
    try (DatagramSocket rtcpTaken =
        new DatagramSocket(new InetSocketAddress("127.0.0.1", port + 1))) {
      assertThrows(
          java.io.IOException.class,
          () -> transport.bind("127.0.0.1", port, (d, s, n) -> {}, (d, s, n) -> {}));
    }
    // The RTP port was released when the RTCP port failed.
    try (DatagramSocket rtpFree = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
      assertEquals(port, rtpFree.getLocalPort());
    }
  }

  @Test
  void sendingToNowhereIsIgnored() throws Exception {
    int port = FreePorts.rtpPair();
    RtpSocket socket = transport.bind("127.0.0.1", port, (d, s, n) -> {}, (d, s, n) -> {});
    socket.sendRtp(new byte[] {1}, 1, null); // not latched yet
    socket.close();
    socket.sendRtp(new byte[] {1}, 1, (InetSocketAddress) peer.getLocalSocketAddress());
    assertEquals(1, transport.sendFailures(), "a send after hang-up is counted, not thrown");
    assertThrows(SocketTimeoutException.class, () -> receiveWithin(300));
  }

  private void send(byte[] data, int port) throws Exception {
    peer.send(new DatagramPacket(data, data.length, new InetSocketAddress("127.0.0.1", port)));
  }

  private void receiveWithin(int millis) throws Exception {
    peer.setSoTimeout(millis);
    peer.receive(new DatagramPacket(new byte[64], 64));
  }
}
