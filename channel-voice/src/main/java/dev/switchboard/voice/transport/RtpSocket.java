package dev.switchboard.voice.transport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetSocketAddress;

/**
 * A call's RTP and RTCP sockets (RTCP on the port above RTP), as thin as Vert.x allows: datagrams
 * in go to a listener with their source; datagrams out are copied (the caller reuses its buffer)
 * and sent without blocking.
 */
public final class RtpSocket {

  /** Receives one datagram; {@code data} belongs to the callee. */
  @FunctionalInterface
  public interface Listener {
    void onDatagram(byte[] data, InetSocketAddress source, long arrivalNanos);
  }

  private final DatagramSocket rtp;
  private final DatagramSocket rtcp;

  private RtpSocket(DatagramSocket rtp, DatagramSocket rtcp) {
    this.rtp = rtp;
    this.rtcp = rtcp;
  }

  /** Binds {@code port} (RTP) and {@code port + 1} (RTCP) on {@code host}. */
  public static Future<RtpSocket> bind(
      Vertx vertx, String host, int port, Listener onRtp, Listener onRtcp) {
    DatagramSocket rtp = vertx.createDatagramSocket();
    DatagramSocket rtcp = vertx.createDatagramSocket();
    rtp.handler(p -> deliver(onRtp, p));
    rtcp.handler(p -> deliver(onRtcp, p));
    return rtp.listen(port, host)
        .compose(s -> rtcp.listen(port + 1, host))
        .map(s -> new RtpSocket(rtp, rtcp))
        .onFailure(
            e -> {
              rtp.close();
              rtcp.close();
            });
  }

  private static void deliver(Listener listener, io.vertx.core.datagram.DatagramPacket packet) {
    listener.onDatagram(
        packet.data().getBytes(),
        new InetSocketAddress(packet.sender().host(), packet.sender().port()),
        System.nanoTime());
  }

  public void sendRtp(byte[] datagram, int length, InetSocketAddress to) {
    send(rtp, datagram, length, to);
  }

  public void sendRtcp(byte[] datagram, int length, InetSocketAddress to) {
    send(rtcp, datagram, length, to);
  }

  private static void send(
      DatagramSocket socket, byte[] datagram, int length, InetSocketAddress to) {
    if (to == null || to.getPort() <= 0) {
      return;
    }
    socket.send(
        Buffer.buffer(length).appendBytes(datagram, 0, length), to.getPort(), to.getHostString());
  }

  public void close() {
    rtp.close();
    rtcp.close();
  }
}
