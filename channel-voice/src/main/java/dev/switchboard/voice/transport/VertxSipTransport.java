package dev.switchboard.voice.transport;

import dev.switchboard.voice.call.SipStats;
import dev.switchboard.voice.call.SipUserAgentServer;
import dev.switchboard.voice.sip.SipConstants;
import dev.switchboard.voice.sip.SipHeaders;
import dev.switchboard.voice.sip.SipMessage;
import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParseResult;
import dev.switchboard.voice.sip.SipRequest;
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
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * UDP, TCP and TLS sockets for SIP, wired to the parser and the user agent. Only I/O lives here:
 * bytes in → parse → {@link SipUserAgentServer}; messages out → serialize → socket. Runs on one
 * event loop.
 */
final class VertxSipTransport implements SipOutbound {
  private static final Logger LOG = Logger.getLogger(VertxSipTransport.class);

  private final Vertx vertx;
  private final SipMessageParser parser;
  private final String advertisedHost;
  private final SipTransportOptions options;
  private final SipStats stats;
  private final Map<String, NetSocket> connections = new HashMap<>();
  private final Map<String, String> connectionIdsByFlow = new HashMap<>();
  private final Map<String, Future<NetSocket>> connecting = new HashMap<>();
  private final AtomicLong connectionIds = new AtomicLong();
  private SipUserAgentServer uas;
  private DatagramSocket udp;
  private NetServer tcp;
  private NetServer tls;
  private NetClient tcpClient;
  private NetClient tlsClient;
  private int port;
  private int tlsPort;

  VertxSipTransport(
      Vertx vertx,
      SipMessageParser parser,
      String advertisedHost,
      SipTransportOptions options,
      SipStats stats) {
    this.vertx = vertx;
    this.parser = parser;
    this.advertisedHost = advertisedHost;
    this.options = options;
    this.stats = stats;
  }

  void attach(SipUserAgentServer uas) {
    this.uas = uas;
  }

  /**
   * Binds UDP first (to learn the port when 0 was asked), then TCP on the same number, then TLS on
   * its own port when configured.
   */
  Future<Integer> listen(String host, int requestedPort, boolean withUdp, boolean withTcp) {
    return listen(host, requestedPort, withUdp, withTcp, ANY_PORT_ATTEMPTS)
        .compose(p -> listenTls(host).map(p));
  }

  private Future<Void> listenTls(String host) {
    if (options.tlsServer().isEmpty()) {
      return Future.succeededFuture();
    }
    tls = vertx.createNetServer(options.tlsServer().get());
    tls.connectHandler(socket -> accept(socket, SipPeer.Transport.TLS));
    tlsClient = vertx.createNetClient(options.tlsClient());
    return tls.listen(options.tlsPort(), host)
        .map(
            s -> {
              tlsPort = s.actualPort();
              return null;
            });
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
          // A peer that does not listen on TCP must not hold a large message back for long.
          tcpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
          // Idle flows are closed after 15 minutes; trunks keep theirs alive with OPTIONS or CRLF
          // pings.
          tcp =
              vertx.createNetServer(
                  new NetServerOptions()
                      .setTcpNoDelay(true)
                      .setIdleTimeout(15)
                      .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MINUTES));
          tcp.connectHandler(socket -> accept(socket, SipPeer.Transport.TCP));
          return tcp.listen(p, host)
              .map(
                  s -> {
                    port = s.actualPort();
                    return port;
                  });
        });
  }

  private void accept(NetSocket socket, SipPeer.Transport transport) {
    InetSocketAddress remote =
        new InetSocketAddress(socket.remoteAddress().host(), socket.remoteAddress().port());
    register(socket, transport, remote);
  }

  /** Keeps a stream flow for responses and later requests, and feeds what it reads to the UAS. */
  private String register(NetSocket socket, SipPeer.Transport transport, InetSocketAddress remote) {
    String id =
        transport.name().toLowerCase(java.util.Locale.ROOT) + "-" + connectionIds.incrementAndGet();
    String flow = flowKey(transport, remote);
    connections.put(id, socket);
    connectionIdsByFlow.put(flow, id);
    wire(socket, id, flow, new SipStreamDecoder(parser), new SipPeer(transport, remote, id));
    return id;
  }

  private static String flowKey(SipPeer.Transport transport, InetSocketAddress address) {
    return transport + " " + address;
  }

  private void wire(
      NetSocket socket, String id, String flow, SipStreamDecoder decoder, SipPeer peer) {
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
    socket.closeHandler(
        v -> {
          connections.remove(id);
          connectionIdsByFlow.remove(flow, id);
        });
    socket.exceptionHandler(e -> LOG.debugf("Connection %s failed: %s", id, e.getMessage()));
  }

  @Override
  public void send(SipMessage message, SipPeer peer) {
    byte[] bytes = SipSerializer.encode(message);
    if (peer.transport() == SipPeer.Transport.UDP) {
      InetSocketAddress to =
          message instanceof SipResponse r ? responseDestination(r, peer) : peer.address();
      if (tooLargeForUdp(bytes)) {
        sendLargeOverTcp(message, bytes, to);
        return;
      }
      sendUdp(bytes, to);
      return;
    }
    NetSocket socket = peer.connectionId() == null ? null : connections.get(peer.connectionId());
    if (socket == null) {
      String id = connectionIdsByFlow.get(flowKey(peer.transport(), peer.address()));
      socket = id == null ? null : connections.get(id);
    }
    if (socket != null) {
      socket.write(Buffer.buffer(bytes));
      return;
    }
    // No open flow (closed, or a proxy hop we never talked to on this transport): open one.
    connect(peer.transport(), peer.address())
        .onSuccess(s -> s.write(Buffer.buffer(bytes)))
        .onFailure(
            e ->
                LOG.debugf(
                    "%s connect to %s failed: %s",
                    peer.transport(), peer.address(), e.getMessage()));
  }

  private boolean tooLargeForUdp(byte[] bytes) {
    return options.udpSizeThreshold() > 0
        && bytes.length > options.udpSizeThreshold()
        && tcp != null;
  }

  private void sendUdp(byte[] bytes, InetSocketAddress to) {
    udp.send(
            Buffer.buffer(bytes),
            to.getPort(),
            to.getAddress() != null ? to.getAddress().getHostAddress() : to.getHostString())
        .onFailure(e -> LOG.debugf("UDP send failed: %s", e.getMessage()));
  }

  /**
   * RFC 3261 §18.1.1: a message over the size threshold goes over TCP to the address it would have
   * gone to by UDP (a request's top Via then says TCP); when no connection can be made it goes by
   * UDP after all. Responses follow the same rule, so a reply that IP fragmentation would likely
   * lose reaches a peer that listens on TCP.
   */
  private void sendLargeOverTcp(SipMessage message, byte[] udpBytes, InetSocketAddress to) {
    byte[] tcpBytes =
        message instanceof SipRequest request
            ? SipSerializer.encode(viaTransport(request, "TCP"))
            : udpBytes;
    String id = connectionIdsByFlow.get(flowKey(SipPeer.Transport.TCP, to));
    NetSocket open = id == null ? null : connections.get(id);
    if (open != null) {
      stats.largeMessagesOverTcp.incrementAndGet();
      open.write(Buffer.buffer(tcpBytes));
      return;
    }
    connect(SipPeer.Transport.TCP, to)
        .onSuccess(
            s -> {
              stats.largeMessagesOverTcp.incrementAndGet();
              s.write(Buffer.buffer(tcpBytes));
            })
        .onFailure(
            e -> {
              stats.largeMessagesOverUdp.incrementAndGet();
              sendUdp(udpBytes, to);
            });
  }

  private static SipRequest viaTransport(SipRequest request, String transport) {
    Via top = request.topVia();
    Via over = new Via(transport, top.host(), top.port(), top.params());
    SipHeaders headers =
        request.headers().copy().replaceFirstValue(SipConstants.VIA, over.toString());
    return new SipRequest(request.method(), request.uri(), headers, request.body());
  }

  /**
   * Opens one flow to a peer; messages sent while it is being opened (a 100, 180 and 200 in a row)
   * wait for the same connection instead of opening one each.
   */
  private Future<NetSocket> connect(SipPeer.Transport transport, InetSocketAddress address) {
    NetClient client = transport == SipPeer.Transport.TLS ? tlsClient : tcpClient;
    if (client == null) {
      return Future.failedFuture(transport + " is not enabled");
    }
    String flow = flowKey(transport, address);
    Future<NetSocket> pending = connecting.get(flow);
    if (pending != null) {
      return pending;
    }
    String host =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    Future<NetSocket> opened =
        client
            .connect(address.getPort(), host)
            .map(
                s -> {
                  register(s, transport, address);
                  return s;
                })
            .andThen(done -> connecting.remove(flow));
    if (!opened.isComplete()) {
      connecting.put(flow, opened);
    }
    return opened;
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
    return transport == SipPeer.Transport.TLS ? tlsPort : port;
  }

  int port() {
    return port;
  }

  /** The TLS listener's port, 0 when TLS is off. */
  int tlsPort() {
    return tlsPort;
  }

  Future<Void> close() {
    Future<Void> a = udp == null ? Future.succeededFuture() : udp.close();
    Future<Void> b = tcp == null ? Future.succeededFuture() : tcp.close();
    Future<Void> c = tls == null ? Future.succeededFuture() : tls.close();
    List.copyOf(connections.values()).forEach(NetSocket::close);
    return Future.all(a, b, c).mapEmpty();
  }
}
