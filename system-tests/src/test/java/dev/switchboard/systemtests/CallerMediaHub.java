package dev.switchboard.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The RTP endpoints of many callers at once, cheap enough for 200 concurrent calls in the test JVM:
 * ONE thread sends every caller's queued 20 ms µ-law frames on a shared absolute 20 ms clock, and
 * ONE thread receives every caller's packets through a selector (instead of two threads per call as
 * in {@link CallerMedia}). For each caller it keeps only what a load test needs: when the channel's
 * speech was last heard, and the first and last packet times; for all callers together, a histogram
 * of the channel's send jitter as the caller sees it: how far each packet's inter-arrival time
 * (between consecutive sequence numbers) deviates from 20 ms.
 */
final class CallerMediaHub implements AutoCloseable {
  private static final int PCMU = 0;
  private static final long FRAME_NANOS = CallerMedia.FRAME_NANOS;
  private static final byte ULAW_SILENCE = (byte) 0xFF;

  /** One 20 ms frame to send and whether it is speech. */
  record Frame(byte[] ulaw, boolean speech) {}

  private final Selector selector;
  private final ConcurrentLinkedQueue<Caller> toRegister = new ConcurrentLinkedQueue<>();
  private final List<Caller> callers = new CopyOnWriteArrayList<>();
  private final List<DatagramChannel> rtcpPorts = new CopyOnWriteArrayList<>();
  private final Histogram jitter = new Histogram();
  private final Thread receiver;
  private final Thread sender;
  private volatile boolean open = true;

  CallerMediaHub() throws IOException {
    selector = Selector.open();
    receiver = new Thread(this::receiveLoop, "callers-rtp-in");
    sender = new Thread(this::sendLoop, "callers-rtp-out");
    for (Thread t : List.of(receiver, sender)) {
      t.setPriority(Thread.MAX_PRIORITY);
      t.setDaemon(true);
      t.start();
    }
  }

  /** A new caller endpoint on a free loopback port. */
  Caller open() throws IOException {
    RtpPortPair ports = RtpPortPair.open();
    DatagramChannel channel = ports.rtp();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 18);
    channel.configureBlocking(false);
    // The channel's RTCP for this call lands on the port above; it is held, not read.
    rtcpPorts.add(ports.rtcp());
    Caller caller = new Caller(channel);
    callers.add(caller);
    toRegister.add(caller);
    selector.wakeup();
    return caller;
  }

  /** Send jitter of the channel's packets as the callers received them. */
  Histogram jitter() {
    return jitter;
  }

  /**
   * The question as frames: the fixture's speech, then {@code trailingSilenceMillis} of silence.
   */
  static List<Frame> utterance(String wavResource, int trailingSilenceMillis) throws Exception {
    short[] pcm = CallerMedia.readWav(wavResource);
    short[] coded = CallerMedia.throughUlaw(pcm);
    byte[] ulaw = new byte[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      ulaw[i] = ulawOf(coded[i]);
    }
    List<Frame> frames = new java.util.ArrayList<>();
    int n = CallerMedia.FRAME_SAMPLES;
    for (int offset = 0; offset + n <= ulaw.length; offset += n) {
      int peak = 0;
      for (int i = offset; i < offset + n; i++) {
        peak = Math.max(peak, Math.abs(pcm[i]));
      }
      frames.add(
          new Frame(
              java.util.Arrays.copyOfRange(ulaw, offset, offset + n),
              peak > CallerMedia.SPEECH_PEAK));
    }
    byte[] silence = new byte[n];
    java.util.Arrays.fill(silence, ULAW_SILENCE);
    for (int i = 0; i < trailingSilenceMillis / 20; i++) {
      frames.add(new Frame(silence, false));
    }
    return List.copyOf(frames);
  }

  /** The µ-law code whose expansion is {@code linear} (exact for values that came from one). */
  private static byte ulawOf(short linear) {
    for (int code = 0; code < 256; code++) {
      if (CallerMedia.ulawToLinear((byte) code) == linear) {
        return (byte) code;
      }
    }
    throw new IllegalArgumentException("not a µ-law level: " + linear);
  }

  /** One caller's RTP endpoint. */
  final class Caller {
    private final DatagramChannel channel;
    private final ConcurrentLinkedQueue<Frame> outgoing = new ConcurrentLinkedQueue<>();
    private final ByteBuffer packet = ByteBuffer.allocate(12 + 160).order(ByteOrder.BIG_ENDIAN);
    private volatile InetSocketAddress remote;
    private volatile long lastSpeechHeardNanos;
    private volatile long lastSpeechSentNanos;
    private volatile long firstPacketNanos;
    private volatile long lastPacketNanos;
    private int lastSequence = -1;
    private long lastArrivalNanos;
    private int sequence = 1;
    private long timestamp = 8000;

    private Caller(DatagramChannel channel) {
      this.channel = channel;
    }

    int port() {
      return channel.socket().getLocalPort();
    }

    /** Queues frames for the shared sender; false if the channel has not sent us RTP yet. */
    boolean speak(List<Frame> frames) {
      if (remote == null) {
        return false;
      }
      outgoing.addAll(frames);
      return true;
    }

    boolean speaking() {
      return !outgoing.isEmpty();
    }

    long lastSpeechHeardNanos() {
      return lastSpeechHeardNanos;
    }

    long lastSpeechSentNanos() {
      return lastSpeechSentNanos;
    }

    long firstPacketNanos() {
      return firstPacketNanos;
    }

    long lastPacketNanos() {
      return lastPacketNanos;
    }

    /** Sender thread: one frame if one is queued. */
    private void sendNext() {
      Frame frame = outgoing.peek();
      InetSocketAddress to = remote;
      if (frame == null || to == null) {
        return;
      }
      packet.clear();
      packet.put((byte) 0x80).put((byte) PCMU).putShort((short) sequence++);
      packet.putInt((int) timestamp).putInt(0x5B0CA11E).put(frame.ulaw());
      timestamp += CallerMedia.FRAME_SAMPLES;
      packet.flip();
      try {
        channel.send(packet, to);
      } catch (IOException e) {
        // the call is gone; the driver notices the silence
      }
      if (frame.speech()) {
        lastSpeechSentNanos = System.nanoTime();
      }
      outgoing.poll();
    }

    /** Receiver thread: every datagram waiting on the socket. */
    private void drain(ByteBuffer buffer) throws IOException {
      while (true) {
        buffer.clear();
        java.net.SocketAddress from = channel.receive(buffer);
        if (from == null) {
          return;
        }
        long now = System.nanoTime();
        buffer.flip();
        int length = buffer.remaining();
        if (length < 12 || (buffer.get(0) & 0xC0) != 0x80 || RtpPortPair.isRtcp(buffer.get(1))) {
          continue;
        }
        if (remote == null) {
          remote = (InetSocketAddress) from;
          firstPacketNanos = now;
        }
        lastPacketNanos = now;
        int seq = ((buffer.get(2) & 0xFF) << 8) | (buffer.get(3) & 0xFF);
        if (lastSequence >= 0 && seq == ((lastSequence + 1) & 0xFFFF)) {
          jitter.record(Math.abs(now - lastArrivalNanos - FRAME_NANOS));
        }
        lastSequence = seq;
        lastArrivalNanos = now;
        if ((buffer.get(1) & 0x7F) == PCMU) {
          int peak = 0;
          for (int i = 12; i < length; i++) {
            peak = Math.max(peak, Math.abs(CallerMedia.ulawToLinear(buffer.get(i))));
          }
          if (peak > CallerMedia.SPEECH_PEAK) {
            lastSpeechHeardNanos = now;
          }
        }
      }
    }
  }

  private void receiveLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    while (open) {
      try {
        for (Caller c = toRegister.poll(); c != null; c = toRegister.poll()) {
          c.channel.register(selector, SelectionKey.OP_READ, c);
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          ((Caller) key.attachment()).drain(buffer);
        }
        selector.selectedKeys().clear();
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        if (!open) {
          return;
        }
      }
    }
  }

  private void sendLoop() {
    long next = System.nanoTime();
    while (open) {
      long wait;
      while ((wait = next - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      for (Caller caller : callers) {
        caller.sendNext();
      }
      next += FRAME_NANOS;
      long now = System.nanoTime();
      if (now - next > 5 * FRAME_NANOS) {
        next = now; // starved for over 100 ms: resume on a fresh grid rather than burst
      }
    }
  }

  @Override
  public void close() throws IOException {
    open = false;
    selector.wakeup();
    try {
      receiver.join(1000);
      sender.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Caller caller : callers) {
      caller.channel.close();
    }
    for (DatagramChannel rtcp : rtcpPorts) {
      rtcp.close();
    }
    selector.close();
  }

  /** Deviations in 10 µs buckets up to 200 ms (later ones in the last bucket). Thread-safe. */
  static final class Histogram {
    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 20_000;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
      counts.incrementAndGet((int) Math.min(BUCKETS - 1, nanos / BUCKET_NANOS));
    }

    long count() {
      long total = 0;
      for (int i = 0; i < BUCKETS; i++) {
        total += counts.get(i);
      }
      return total;
    }

    /** Upper edge of the bucket holding the {@code quantile} (0..1), in milliseconds. */
    double percentileMillis(double quantile) {
      long total = count();
      if (total == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(quantile * total);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += counts.get(i);
        if (seen >= rank) {
          return (i + 1) * BUCKET_NANOS / 1e6;
        }
      }
      return BUCKETS * BUCKET_NANOS / 1e6;
    }

    /** Adds {@code other}'s counts to this one's. */
    void addAll(Histogram other) {
      for (int i = 0; i < BUCKETS; i++) {
        long n = other.counts.get(i);
        if (n > 0) {
          counts.addAndGet(i, n);
        }
      }
    }

    void reset() {
      for (int i = 0; i < BUCKETS; i++) {
        counts.set(i, 0);
      }
    }
  }
}
