package dev.switchboard.voice.transaction;

import java.net.InetSocketAddress;

/**
 * Where a message came from or goes to: transport, socket address and, for TCP, the connection it
 * arrived on (so responses reuse it, RFC 3261 §18.2.2).
 *
 * @param connectionId the stream connection, or {@code null} for UDP or for a new connection
 */
public record SipPeer(Transport transport, InetSocketAddress address, String connectionId) {
  public enum Transport {
    UDP,
    TCP;

    public boolean reliable() {
      return this == TCP;
    }
  }

  public static SipPeer udp(InetSocketAddress address) {
    return new SipPeer(Transport.UDP, address, null);
  }

  public String ip() {
    return address.getAddress() != null
        ? address.getAddress().getHostAddress()
        : address.getHostString();
  }

  public int port() {
    return address.getPort();
  }
}
