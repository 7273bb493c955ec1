package dev.switchboard.voice.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's RTP transport: binds each call's RTP/RTCP port pair as non-blocking datagram channels
 * and receives the datagrams of every call on ONE thread through a selector (no thread per call, no
 * event-loop task per packet). Listeners run on that thread, so they must be quick and must not
 * block; one that throws loses its datagram, never the thread.
 */
public final class RtpTransport implements AutoCloseable {
  private static final int MAX_DATAGRAM = 2048;
  private static final int RECEIVE_BUFFER_BYTES = 1 << 18;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private final Thread receiver;
  private volatile boolean open = true;

  private record Registration(DatagramChannel channel, RtpSocket.Listener listener) {}

  private RtpTransport(String threadName) throws IOException {
    this.selector = Selector.open();
    this.receiver = new Thread(this::receiveLoop, threadName);
    receiver.setDaemon(true);
    // Arrival times feed the jitter buffer and barge-in: read datagrams as soon as they land.
    receiver.setPriority(Thread.MAX_PRIORITY);
    receiver.start();
  }

  /** Starts the receive thread. */
  public static RtpTransport start(String threadName) throws IOException {
    return new RtpTransport(threadName);
  }

  /**
   * Binds {@code port} (RTP) and {@code port + 1} (RTCP) on {@code host}.
   *
   * @throws IOException when either port cannot be bound (both are released then)
   */
  public RtpSocket bind(String host, int port, RtpSocket.Listener onRtp, RtpSocket.Listener onRtcp)
      throws IOException {
    DatagramChannel rtp = open(host, port);
    DatagramChannel rtcp;
    try {
      rtcp = open(host, port + 1);
    } catch (IOException e) {
      rtp.close();
      throw e;
    }
    pending.add(new Registration(rtp, onRtp));
    pending.add(new Registration(rtcp, onRtcp));
    selector.wakeup();
    // Closed channels leave the selector at its next select; wake it so that happens now.
    return new RtpSocket(rtp, rtcp, sendFailures, selector::wakeup);
  }

  /** Datagrams that could not be sent (socket buffer full, socket closed). */
  public long sendFailures() {
    return sendFailures.get();
  }

  /** Datagrams whose listener threw. */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  private static DatagramChannel open(String host, int port) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
      channel.bind(new InetSocketAddress(host, port));
      channel.configureBlocking(false);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void receiveLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    while (open) {
      try {
        for (Registration r = pending.poll(); r != null; r = pending.poll()) {
          if (r.channel().isOpen()) {
            r.channel().register(selector, SelectionKey.OP_READ, r.listener());
          }
        }
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          try {
            if (key.isValid()) {
              drain((DatagramChannel) key.channel(), (RtpSocket.Listener) key.attachment(), buffer);
            }
          } catch (IOException | java.nio.channels.CancelledKeyException e) {
            // Closed under us (hang-up while reading): its key is gone at the next select.
          }
        }
        selector.selectedKeys().clear();
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException e) {
        // select failed: try again (closing sets open = false)
      }
    }
  }

  /** Every datagram waiting on the channel, each to the listener. */
  private void drain(DatagramChannel channel, RtpSocket.Listener listener, ByteBuffer buffer)
      throws IOException {
    while (true) {
      buffer.clear();
      SocketAddress source = channel.receive(buffer);
      if (source == null) {
        return;
      }
      long arrival = System.nanoTime();
      buffer.flip();
      byte[] data = new byte[buffer.remaining()];
      buffer.get(data);
      try {
        listener.onDatagram(data, (InetSocketAddress) source, arrival);
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet(); // one broken call must not stop the others' media
      }
    }
  }

  /** Stops the receive thread; sockets still bound are closed by their calls. */
  @Override
  public void close() {
    open = false;
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      receiver.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
