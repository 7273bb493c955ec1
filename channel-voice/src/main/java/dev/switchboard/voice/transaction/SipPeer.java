package dev.switchboard.voice.transaction;

import java.net.InetSocketAddress;

/**
 * Where a message came from or goes to: transport, socket address and, for TCP and TLS, the
 * connection it arrived on (so responses reuse it, RFC 3261 §18.2.2).
 *
 * @param connectionId the stream connection, or {@code null} for UDP or for a new connection
 */
public record SipPeer(Transport transport, InetSocketAddress address, String connectionId) {
  public enum Transport {
    UDP,
    TCP,
    TLS;

    public boolean reliable() {
      return this != UDP;
    }

    /** The transport a URI's {@code transport} parameter names ({@code udp} when unknown). */
    public static Transport ofUriParameter(String value) {
      if (value == null) {
        return UDP;
      }
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "tcp" -> TCP;
        case "tls" -> TLS;
        default -> UDP;
      };
    }

    /** The {@code ;transport=} parameter a Contact or Record-Route URI carries for it. */
    public String uriParameter() {
      return this == UDP ? "" : ";transport=" + name().toLowerCase(java.util.Locale.ROOT);
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
