package dev.switchboard.systemtests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The caller's RTP endpoint (SIPp's SDP points here): it speaks WAV fixtures as 20 ms µ-law packets
 * paced on an absolute clock, presses keys as RFC 4733 events, and records every packet the voice
 * channel sends with its arrival time, RTP timestamp and loudness.
 *
 * <p>"Speech" on either side is a 20 ms frame whose peak exceeds {@link #SPEECH_PEAK}: the channel
 * sends digital silence (or near it) between prompts, and spoken audio peaks far above it.
 */
final class CallerMedia implements AutoCloseable {
  static final int SPEECH_PEAK = 2000;
  static final int FRAME_SAMPLES = 160;
  static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int PCMU = 0;
  private static final int TELEPHONE_EVENT = 101;
  private static final byte ULAW_SILENCE = (byte) 0xFF;

  /** A packet from the channel. */
  record Received(long arrivalNanos, int sequence, long rtpTimestamp, int payloadType, int peak) {
    boolean speech() {
      return payloadType == PCMU && peak > SPEECH_PEAK;
    }
  }

  /** A frame we sent: when, and whether it was speech. */
  record Sent(long sentNanos, int peak) {
    boolean speech() {
      return peak > SPEECH_PEAK;
    }
  }

  private final RtpPortPair ports;
  private final DatagramSocket socket;
  private final Thread receiver;
  private final List<Received> received = new ArrayList<>();
  private volatile InetSocketAddress channel;
  private volatile boolean open = true;
  private final int ssrc = 0x5B0CA11E;
  private int sequence = 1;
  private long timestamp = 8000;

  CallerMedia() throws IOException {
    ports = RtpPortPair.open();
    socket = ports.rtp().socket();
    socket.setSoTimeout(200);
    socket.setReceiveBufferSize(1 << 20);
    receiver = new Thread(this::receive, "caller-rtp-in");
    receiver.setPriority(Thread.MAX_PRIORITY);
    receiver.setDaemon(true);
    receiver.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Every packet received so far, in arrival order. */
  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Packets received after {@code sinceNanos}. */
  List<Received> receivedAfter(long sinceNanos) {
    return received().stream().filter(r -> r.arrivalNanos() > sinceNanos).toList();
  }

  /** Arrival time of the last speech frame from the channel after {@code sinceNanos}. */
  java.util.OptionalLong lastSpeechAfter(long sinceNanos) {
    List<Received> all = received();
    for (int i = all.size() - 1; i >= 0 && all.get(i).arrivalNanos() > sinceNanos; i--) {
      if (all.get(i).speech()) {
        return java.util.OptionalLong.of(all.get(i).arrivalNanos());
      }
    }
    return java.util.OptionalLong.empty();
  }

  private void receive() {
    byte[] buffer = new byte[2048];
    while (open) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return;
      }
      long now = System.nanoTime();
      int length = packet.getLength();
      if (length < 12 || (buffer[0] & 0xC0) != 0x80 || RtpPortPair.isRtcp(buffer[1])) {
        continue; // not RTP (e.g. RTCP on a muxed port)
      }
      channel = (InetSocketAddress) packet.getSocketAddress();
      int payloadType = buffer[1] & 0x7F;
      int seq = ((buffer[2] & 0xFF) << 8) | (buffer[3] & 0xFF);
      long ts = ByteBuffer.wrap(buffer, 4, 4).getInt() & 0xFFFFFFFFL;
      int peak = 0;
      if (payloadType == PCMU) {
        for (int i = 12; i < length; i++) {
          peak = Math.max(peak, Math.abs(ulawToLinear(buffer[i])));
        }
      }
      synchronized (received) {
        received.add(new Received(now, seq, ts, payloadType, peak));
      }
    }
  }

  /**
   * Speaks a WAV fixture (8 kHz mono) as 20 ms µ-law packets, then {@code trailingSilenceMillis} of
   * silence, paced on an absolute 20 ms clock. Returns each frame's send time.
   */
  List<Sent> speak(String resource, int trailingSilenceMillis) throws Exception {
    short[] pcm = readWav(resource);
    byte[] ulaw = toUlaw(pcm);
    List<Sent> sent = new ArrayList<>();
    long next = System.nanoTime();
    for (int offset = 0; offset + FRAME_SAMPLES <= ulaw.length; offset += FRAME_SAMPLES) {
      byte[] frame = new byte[FRAME_SAMPLES];
      System.arraycopy(ulaw, offset, frame, 0, FRAME_SAMPLES);
      int peak = 0;
      for (int i = offset; i < offset + FRAME_SAMPLES; i++) {
        peak = Math.max(peak, Math.abs(pcm[i]));
      }
      next = waitUntil(next);
      sent.add(new Sent(System.nanoTime(), peak));
      send(PCMU, false, frame, timestamp);
      timestamp += FRAME_SAMPLES;
    }
    byte[] silence = new byte[FRAME_SAMPLES];
    java.util.Arrays.fill(silence, ULAW_SILENCE);
    for (int i = 0; i < trailingSilenceMillis / 20; i++) {
      next = waitUntil(next);
      sent.add(new Sent(System.nanoTime(), 0));
      send(PCMU, false, silence, timestamp);
      timestamp += FRAME_SAMPLES;
    }
    return sent;
  }

  /** RFC 4733: three packets of the event, then the end packet sent three times (redundancy). */
  void pressKey(int event) throws Exception {
    long start = timestamp;
    long next = System.nanoTime();
    for (int i = 1; i <= 6; i++) {
      boolean end = i > 3;
      int duration = Math.min(i, 4) * FRAME_SAMPLES;
      byte[] payload = {
        (byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration
      };
      next = waitUntil(next);
      send(TELEPHONE_EVENT, i == 1, payload, start);
    }
    timestamp += 4 * FRAME_SAMPLES;
  }

  /** Sleeps until {@code deadline}; returns the next frame's deadline. */
  private static long waitUntil(long deadline) {
    long wait;
    while ((wait = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
    return deadline + FRAME_NANOS;
  }

  private void send(int payloadType, boolean marker, byte[] payload, long ts) throws IOException {
    ByteBuffer packet = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.BIG_ENDIAN);
    packet.put((byte) 0x80);
    packet.put((byte) ((marker ? 0x80 : 0) | payloadType));
    packet.putShort((short) sequence++);
    packet.putInt((int) ts);
    packet.putInt(ssrc);
    packet.put(payload);
    InetSocketAddress to = channel;
    if (to == null) {
      throw new AssertionError("the voice channel has not sent any RTP to the caller yet");
    }
    socket.send(new DatagramPacket(packet.array(), packet.capacity(), to));
  }

  static short[] readWav(String resource) throws Exception {
    try (InputStream in = CallerMedia.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      try (AudioInputStream wav = AudioSystem.getAudioInputStream(new BufferedInputStream(in));
          AudioInputStream pcm =
              AudioSystem.getAudioInputStream(new AudioFormat(8000, 16, 1, true, false), wav)) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pcm.transferTo(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[b.remaining() / 2];
        b.asShortBuffer().get(samples);
        return samples;
      }
    }
  }

  /** What {@code pcm} sounds like after a trip through G.711 µ-law, as the caller hears it. */
  static short[] throughUlaw(short[] pcm) throws IOException {
    byte[] ulaw = toUlaw(pcm);
    short[] out = new short[ulaw.length];
    for (int i = 0; i < ulaw.length; i++) {
      out[i] = (short) ulawToLinear(ulaw[i]);
    }
    return out;
  }

  /** µ-law encoding by the JDK's own G.711 converter. */
  private static byte[] toUlaw(short[] pcm) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pcm);
    AudioFormat linear = new AudioFormat(8000, 16, 1, true, false);
    AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
    try (AudioInputStream in =
            new AudioInputStream(
                new java.io.ByteArrayInputStream(bytes.array()), linear, pcm.length);
        AudioInputStream out = AudioSystem.getAudioInputStream(ulaw, in)) {
      return out.readAllBytes();
    }
  }

  /** G.711 µ-law expansion (ITU-T G.711, as in the JDK's converter). */
  static int ulawToLinear(byte code) {
    int u = ~code & 0xFF;
    int t = ((u & 0x0F) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    receiver.join(1000);
    try {
      ports.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
