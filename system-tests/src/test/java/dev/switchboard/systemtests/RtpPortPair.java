package dev.switchboard.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * A caller's RTP port (even) and the RTCP port above it, both bound on loopback, as a real endpoint
 * allocates them (RFC 3550 §11). Binding only the RTP port would leave the port above it free for
 * another in-test caller, which then receives this call's RTCP from the channel; a caller that
 * latches to the first packet it gets would then talk to the wrong call.
 */
record RtpPortPair(DatagramChannel rtp, DatagramChannel rtcp) implements AutoCloseable {
  private static final int ATTEMPTS = 200;

  static RtpPortPair open() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      DatagramChannel first = DatagramChannel.open();
      first.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
      int partner = port % 2 == 0 ? port + 1 : port - 1;
      DatagramChannel second = DatagramChannel.open();
      try {
        second.bind(new InetSocketAddress("127.0.0.1", partner));
      } catch (IOException taken) {
        second.close();
        first.close();
        continue;
      }
      return port % 2 == 0 ? new RtpPortPair(first, second) : new RtpPortPair(second, first);
    }
    throw new IOException("no free even/odd loopback port pair after " + ATTEMPTS + " attempts");
  }

  int rtpPort() {
    return rtp.socket().getLocalPort();
  }

  /** RTCP packet types are 200-204 in the second byte (RFC 3550 §12.1); RTP never uses them. */
  static boolean isRtcp(byte secondByte) {
    int packetType = secondByte & 0xFF;
    return packetType >= 200 && packetType <= 204;
  }

  @Override
  public void close() throws IOException {
    rtp.close();
    rtcp.close();
  }
}
