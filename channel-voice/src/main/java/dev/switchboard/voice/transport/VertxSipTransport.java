package dev.switchboard.voice.transport;

import dev.switchboard.voice.call.SipUserAgentServer;
import dev.switchboard.voice.sip.SipMessage;
import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParseResult;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.sip.SipSerializer;
import dev.switchboard.voice.sip.SipStreamDecoder;
import dev.switchboard.voice.sip.SipUri;
import dev.switchboard.voice.sip.Via;
import dev.switchboard.voice.transaction.SipOutbound;
import dev.switchboard.voice.transaction.SipPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * UDP and TCP sockets for SIP, wired to the parser and the user agent. Only I/O lives here: bytes
 * in → parse → {@link SipUserAgentServer}; messages out → serialize → socket. Runs on one event
 * loop.
 */
final class VertxSipTransport implements SipOutbound {
  private static final Logger LOG = Logger.getLogger(VertxSipTransport.class);

  private final Vertx vertx;
  private final SipMessageParser parser;
  private final String advertisedHost;
  private final Map<String, NetSocket> connections = new HashMap<>();
  private final AtomicLong connectionIds = new AtomicLong();
  private SipUserAgentServer uas;
  private DatagramSocket udp;
  private NetServer tcp;
  private NetClient tcpClient;
  private int port;

  VertxSipTransport(Vertx vertx, SipMessageParser parser, String advertisedHost) {
    this.vertx = vertx;
    this.parser = parser;
    this.advertisedHost = advertisedHost;
  }

  void attach(SipUserAgentServer uas) {
    this.uas = uas;
  }

  /** Binds UDP first (to learn the port when 0 was asked), then TCP on the same number. */
  Future<Integer> listen(String host, int requestedPort, boolean withUdp, boolean withTcp) {
    return listen(host, requestedPort, withUdp, withTcp, ANY_PORT_ATTEMPTS);
  }

  /**
   * With port 0 the UDP socket picks a free port and TCP must take the same number, which some
   * other TCP socket may already hold; then both are released and another port is tried.
   */
  private static final int ANY_PORT_ATTEMPTS = 20;

  /**
   * Vert.x uses the socket's receive buffer size as the size of the buffer each datagram is read
   * into as well. At Netty's chunk size (4 MiB) or above that buffer is a fresh, zeroed direct
   * allocation per datagram, which cost about half of a call's CPU; 1 MiB stays in the pool and
   * still gives the kernel room for about a thousand queued INVITEs.
   */
  private static final int UDP_RECEIVE_BUFFER_BYTES = 1 << 20;

  private Future<Integer> listen(
      String host, int requestedPort, boolean withUdp, boolean withTcp, int attemptsLeft) {
    return bindOnce(host, requestedPort, withUdp, withTcp)
        .recover(
            failure -> {
              if (requestedPort != 0 || attemptsLeft <= 1) {
                return Future.failedFuture(failure);
              }
              Future<Void> udpClosed = udp == null ? Future.succeededFuture() : udp.close();
              return udpClosed
                  .otherwiseEmpty()
                  .compose(x -> listen(host, requestedPort, withUdp, withTcp, attemptsLeft - 1));
            });
  }

  private Future<Integer> bindOnce(
      String host, int requestedPort, boolean withUdp, boolean withTcp) {
    Future<Integer> udpBound;
    if (withUdp) {
      udp =
          vertx.createDatagramSocket(
              new DatagramSocketOptions()
                  .setReceiveBufferSize(UDP_RECEIVE_BUFFER_BYTES)
                  .setSendBufferSize(4 << 20));
      udp.handler(
          packet -> {
            Buffer data = packet.data();
            byte[] bytes = data.getBytes();
            SipPeer peer =
                SipPeer.udp(new InetSocketAddress(packet.sender().host(), packet.sender().port()));
            uas.onParseResult(parser.parseDatagram(bytes), peer, bytes.length);
          });
      udpBound = udp.listen(requestedPort, host).map(s -> s.localAddress().port());
    } else {
      udpBound = Future.succeededFuture(requestedPort);
    }
    return udpBound.compose(
        p -> {
          port = p;
          if (!withTcp) {
            return Future.succeededFuture(p);
          }
          tcpClient = vertx.createNetClient();
          // Idle flows are closed after 15 minutes; trunks keep theirs alive with OPTIONS or CRLF
          // pings.
          tcp =
              vertx.createNetServer(
                  new NetServerOptions()
                      .setTcpNoDelay(true)
                      .setIdleTimeout(15)
                      .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MINUTES));
          tcp.connectHandler(this::accept);
          return tcp.listen(p, host)
              .map(
                  s -> {
                    port = s.actualPort();
                    return port;
                  });
        });
  }

  private void accept(NetSocket socket) {
    String id = "tcp-" + connectionIds.incrementAndGet();
    connections.put(id, socket);
    SipStreamDecoder decoder = new SipStreamDecoder(parser);
    SipPeer peer =
        new SipPeer(
            SipPeer.Transport.TCP,
            new InetSocketAddress(socket.remoteAddress().host(), socket.remoteAddress().port()),
            id);
    wire(socket, id, decoder, peer);
  }

  private void wire(NetSocket socket, String id, SipStreamDecoder decoder, SipPeer peer) {
    socket.handler(
        buf -> {
          byte[] bytes = buf.getBytes();
          for (SipParseResult r : decoder.feed(bytes, 0, bytes.length)) {
            uas.onParseResult(r, peer, bytes.length);
            if (r instanceof SipParseResult.Malformed m && m.fatal()) {
              // Framing is lost; let the 400 (if any) go out, then close.
              vertx.setTimer(50, t -> socket.close());
            }
          }
        });
    socket.closeHandler(v -> connections.remove(id));
    socket.exceptionHandler(e -> LOG.debugf("TCP connection %s failed: %s", id, e.getMessage()));
  }

  @Override
  public void send(SipMessage message, SipPeer peer) {
    byte[] bytes = SipSerializer.encode(message);
    if (peer.transport() == SipPeer.Transport.UDP) {
      InetSocketAddress to =
          message instanceof SipResponse r ? responseDestination(r, peer) : peer.address();
      udp.send(
              Buffer.buffer(bytes),
              to.getPort(),
              to.getAddress() != null ? to.getAddress().getHostAddress() : to.getHostString())
          .onFailure(e -> LOG.debugf("UDP send failed: %s", e.getMessage()));
      return;
    }
    NetSocket socket = peer.connectionId() == null ? null : connections.get(peer.connectionId());
    if (socket != null) {
      socket.write(Buffer.buffer(bytes));
      return;
    }
    // No open flow (closed, or a proxy hop we never talked to on TCP): open one.
    String host =
        peer.address().getAddress() != null
            ? peer.address().getAddress().getHostAddress()
            : peer.address().getHostString();
    tcpClient
        .connect(peer.address().getPort(), host)
        .onSuccess(
            s -> {
              String id = "tcp-" + connectionIds.incrementAndGet();
              connections.put(id, s);
              wire(
                  s,
                  id,
                  new SipStreamDecoder(parser),
                  new SipPeer(SipPeer.Transport.TCP, peer.address(), id));
              s.write(Buffer.buffer(bytes));
            })
        .onFailure(e -> LOG.debugf("TCP connect to %s failed: %s", peer.address(), e.getMessage()));
  }

  /**
   * RFC 3261 §18.2.2 with RFC 3581: to the source address, at the rport when the client asked for
   * it, else at the Via port (5060 by default).
   */
  private static InetSocketAddress responseDestination(SipResponse r, SipPeer peer) {
    try {
      Via top = r.topVia();
      String rport = top.params().get("rport");
      if (rport != null && !rport.isEmpty()) {
        return peer.address();
      }
      return new InetSocketAddress(
          peer.address().getAddress(), top.port() == SipUri.NO_PORT ? 5060 : top.port());
    } catch (RuntimeException e) {
      return peer.address();
    }
  }

  @Override
  public String advertisedHost() {
    return advertisedHost;
  }

  @Override
  public int advertisedPort(SipPeer.Transport transport) {
    return port;
  }

  int port() {
    return port;
  }

  Future<Void> close() {
    Future<Void> a = udp == null ? Future.succeededFuture() : udp.close();
    Future<Void> b = tcp == null ? Future.succeededFuture() : tcp.close();
    connections.values().forEach(NetSocket::close);
    return Future.all(a, b).mapEmpty();
  }
}
