package dev.switchboard.voice.transport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports free on both UDP and TCP, so peers started by tests never collide with other runs. */
final class FreePorts {
  private FreePorts() {}

  static int udpAndTcp() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // try another
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("No free port");
  }

  /** An even port whose odd neighbour is free too (RTP + RTCP). */
  static int rtpPair() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p = udpAndTcp();
      int even = p % 2 == 0 ? p : p + 1;
      try (DatagramSocket a = new DatagramSocket(even, InetAddress.getLoopbackAddress());
          DatagramSocket b = new DatagramSocket(even + 1, InetAddress.getLoopbackAddress())) {
        return even;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("No free RTP port pair");
  }
}
