package dev.switchboard.voice.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A call's RTP and RTCP sockets (RTCP on the port above RTP): plain non-blocking datagram channels.
 * Datagrams in reach a listener with their source, on the {@link RtpTransport}'s receive thread;
 * datagrams out go straight to the kernel from the sending thread (the media pacer), so a packet
 * leaves when the pacer sends it, not when an event loop gets round to it. The caller may reuse its
 * buffer as soon as a send returns.
 */
public final class RtpSocket {

  /** Receives one datagram; {@code data} belongs to the callee. */
  @FunctionalInterface
  public interface Listener {
    void onDatagram(byte[] data, InetSocketAddress source, long arrivalNanos);
  }

  private final DatagramChannel rtp;
  private final DatagramChannel rtcp;
  private final AtomicLong sendFailures;
  private final Runnable onClose;

  RtpSocket(DatagramChannel rtp, DatagramChannel rtcp, AtomicLong sendFailures, Runnable onClose) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.sendFailures = sendFailures;
    this.onClose = onClose;
  }

  /** The local RTP port. */
  public int port() {
    return rtp.socket().getLocalPort();
  }

  public void sendRtp(byte[] datagram, int length, InetSocketAddress to) {
    send(rtp, datagram, length, to);
  }

  public void sendRtcp(byte[] datagram, int length, InetSocketAddress to) {
    send(rtcp, datagram, length, to);
  }

  private void send(DatagramChannel channel, byte[] datagram, int length, InetSocketAddress to) {
    if (to == null || to.getPort() <= 0) {
      return;
    }
    try {
      // Non-blocking: with the socket buffer full, the datagram is dropped (0 bytes sent), as a
      // late RTP packet would be useless anyway; counted like a failure.
      if (channel.send(ByteBuffer.wrap(datagram, 0, length), to) == 0) {
        sendFailures.incrementAndGet();
      }
    } catch (IOException | RuntimeException e) {
      sendFailures.incrementAndGet(); // closed at hang-up, or no route: the call's media is over
    }
  }

  /** Closes both sockets; their datagrams stop reaching the listeners. */
  public void close() {
    closeQuietly(rtp);
    closeQuietly(rtcp);
    onClose.run();
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
