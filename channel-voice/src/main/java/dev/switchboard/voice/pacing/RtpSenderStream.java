package dev.switchboard.voice.pacing;

import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.rtp.NtpTime;
import dev.switchboard.voice.rtp.RtcpPacket;
import dev.switchboard.voice.rtp.RtcpReportBlock;
import dev.switchboard.voice.rtp.RtpConstants;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One call's outgoing RTP: on every scheduler tick it takes a frame from the playout source,
 * encodes it with G.711 and sends one packet. Sequence numbers and timestamps advance every tick
 * (160 per 20 ms), also while we are silent, so the caller's jitter buffer sees a steady clock;
 * silence is sent as G.711 silence frames (keeping the NAT binding open), and the marker bit flags
 * the first packet of each talkspurt (RFC 3551 section 4.1).
 *
 * <p>{@code firstPacketListener} hears (utterance id, send time in nanos) when the first packet of
 * each prompt or reply chunk leaves: the last stage of the per-turn latency measurement.
 *
 * <p>Runs on the scheduler thread only; the counters for RTCP are read through {@link
 * #senderReport}, which may be called from another thread.
 */
public final class RtpSenderStream implements PacedStream {

  private final FrameSource source;
  private final PacketSink sink;
  private volatile G711Law law;
  private final long ssrc;
  private final int samplesPerFrame;
  private final BiConsumer<String, Long> firstPacketListener;
  private final byte[] datagram;
  private int sequence;
  private long timestamp;
  private boolean talking;
  private String lastUtterance;
  private volatile long packetsSent;
  private volatile long octetsSent;
  private volatile long lastTimestamp;

  /**
   * @param initialSequence random per RFC 3550 (the caller of this constructor picks it)
   * @param initialTimestamp random per RFC 3550
   */
  public RtpSenderStream(
      FrameSource source,
      PacketSink sink,
      G711Law law,
      long ssrc,
      int initialSequence,
      long initialTimestamp,
      int samplesPerFrame,
      BiConsumer<String, Long> firstPacketListener) {
    this.source = source;
    this.sink = sink;
    this.law = law;
    this.ssrc = ssrc;
    this.sequence = initialSequence & 0xFFFF;
    this.timestamp = initialTimestamp & 0xFFFFFFFFL;
    this.samplesPerFrame = samplesPerFrame;
    this.firstPacketListener = firstPacketListener;
    this.datagram = new byte[RtpConstants.FIXED_HEADER_LENGTH + samplesPerFrame];
  }

  @Override
  public void onTick(long scheduledNanos, long nowNanos) {
    Optional<FrameSource.OutgoingFrame> frame = source.next();
    boolean marker = false;
    int payloadAt = RtpConstants.FIXED_HEADER_LENGTH;
    if (frame.isPresent()) {
      FrameSource.OutgoingFrame audio = frame.get();
      marker = !talking;
      talking = true;
      G711.encode(law, audio.samples(), 0, samplesPerFrame, datagram, payloadAt);
      if (!audio.utteranceId().equals(lastUtterance)) {
        lastUtterance = audio.utteranceId();
        firstPacketListener.accept(audio.utteranceId(), nowNanos);
      }
    } else {
      talking = false;
      lastUtterance = null;
      java.util.Arrays.fill(datagram, payloadAt, datagram.length, law.silence());
    }
    writeHeader(marker);
    sink.send(datagram, datagram.length);
    lastTimestamp = timestamp;
    sequence = (sequence + 1) & 0xFFFF;
    timestamp = (timestamp + samplesPerFrame) & 0xFFFFFFFFL;
    packetsSent++;
    octetsSent += samplesPerFrame;
  }

  /**
   * A tick on which we send nothing (the call is on hold and our direction is recvonly or
   * inactive): the RTP clock still advances with real time (RFC 3550 section 5.1), the sequence
   * number does not (no packet left), and the next audio starts a new talkspurt with the marker
   * bit. No frame is taken from the source, so queued audio waits where it stopped.
   */
  public void skipTick() {
    talking = false; // lastUtterance stays: a reply resumed after a hold is not a new one
    timestamp = (timestamp + samplesPerFrame) & 0xFFFFFFFFL;
  }

  /** A re-INVITE changed the codec: later packets use {@code law} and its payload type. */
  public void changeLaw(G711Law law) {
    this.law = law;
  }

  /** An RTCP sender report for what this stream has sent, with the given reception reports. */
  public RtcpPacket.SenderReport senderReport(long unixMillis, List<RtcpReportBlock> reports) {
    return new RtcpPacket.SenderReport(
        ssrc, NtpTime.fromUnixMillis(unixMillis), lastTimestamp, packetsSent, octetsSent, reports);
  }

  /** Packets sent so far. */
  public long packetsSent() {
    return packetsSent;
  }

  private void writeHeader(boolean marker) {
    datagram[0] = (byte) (RtpConstants.VERSION << 6);
    datagram[1] = (byte) ((marker ? 0x80 : 0) | law.payloadType());
    datagram[2] = (byte) (sequence >>> 8);
    datagram[3] = (byte) sequence;
    datagram[4] = (byte) (timestamp >>> 24);
    datagram[5] = (byte) (timestamp >>> 16);
    datagram[6] = (byte) (timestamp >>> 8);
    datagram[7] = (byte) timestamp;
    datagram[8] = (byte) (ssrc >>> 24);
    datagram[9] = (byte) (ssrc >>> 16);
    datagram[10] = (byte) (ssrc >>> 8);
    datagram[11] = (byte) ssrc;
  }
}
