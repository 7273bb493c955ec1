package dev.switchboard.voice.media;

import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.dtmf.DtmfDigit;
import dev.switchboard.voice.dtmf.DtmfReceiver;
import dev.switchboard.voice.jitter.G711Reframer;
import dev.switchboard.voice.jitter.JitterBuffer;
import dev.switchboard.voice.jitter.JitterBufferConfig;
import dev.switchboard.voice.jitter.OfferResult;
import dev.switchboard.voice.jitter.Playout;
import dev.switchboard.voice.pacing.FrameSource;
import dev.switchboard.voice.pacing.PacedStream;
import dev.switchboard.voice.pacing.PacketSink;
import dev.switchboard.voice.pacing.RtpSenderStream;
import dev.switchboard.voice.pipeline.BargeInProcessor;
import dev.switchboard.voice.pipeline.DtmfFrame;
import dev.switchboard.voice.pipeline.EncodedAudioFrame;
import dev.switchboard.voice.pipeline.EndFrame;
import dev.switchboard.voice.pipeline.FrameSink;
import dev.switchboard.voice.pipeline.G711DecodeProcessor;
import dev.switchboard.voice.pipeline.InterruptionFrame;
import dev.switchboard.voice.pipeline.MissingAudioFrame;
import dev.switchboard.voice.pipeline.PartialTranscriptFrame;
import dev.switchboard.voice.pipeline.Pipeline;
import dev.switchboard.voice.pipeline.PlayoutQueue;
import dev.switchboard.voice.pipeline.QueuedProcessor;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.pipeline.SpeechToTextBridge;
import dev.switchboard.voice.pipeline.VadProcessor;
import dev.switchboard.voice.rtp.ReceptionStatistics;
import dev.switchboard.voice.rtp.RtcpCodec;
import dev.switchboard.voice.rtp.RtcpPacket;
import dev.switchboard.voice.rtp.RtcpParseResult;
import dev.switchboard.voice.rtp.RtcpReportBlock;
import dev.switchboard.voice.rtp.RtpConstants;
import dev.switchboard.voice.rtp.RtpPacket;
import dev.switchboard.voice.rtp.RtpParseResult;
import dev.switchboard.voice.rtp.RtpParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Everything media for one call, with no sockets and no timers of its own: the transport hands it
 * datagrams ({@link #onRtp}, {@link #onRtcp}) and registers it on the shared {@link
 * dev.switchboard.voice.pacing.PacedScheduler}; on every 20 ms tick it sends one RTP packet from
 * the playout queue, takes one frame from the jitter buffer into the receive pipeline (decode ->
 * VAD/endpointing -> speech-to-text bridge), and sends an RTCP report when one is due.
 *
 * <p>Barge-in is decided on the caller's packets as they arrive, ahead of the jitter buffer (decode
 * -> VAD -> barge-in, inline on the socket's thread): the jitter buffer's delay (40-300 ms) would
 * otherwise come on top of the VAD's onset before our audio stops. The interruption then stops the
 * playout queue at once (the next tick sends silence) and enters the receive pipeline as a control
 * frame. Limit: the arrival-order VAD sees reordered packets in arrival order and no time for
 * packets that never came; only the start of speech is taken from it.
 *
 * <p>Pipeline decisions ({@code UserStartedSpeakingFrame}, {@code UserStoppedSpeakingFrame}, {@code
 * InterruptionFrame}, {@code DtmfFrame}, …) come out of {@code events}, always on the pipeline
 * executor, one at a time. Reply audio goes in through {@link #playout()}.
 *
 * <p>Threads: {@link #onRtp}/{@link #onRtcp} on the socket's thread, {@link #onTick} on the pacer;
 * the receive state they share is guarded by one lock per call. Limits: the caller's packet
 * duration is taken from its first packet; one remote SSRC at a time (a new SSRC restarts receive
 * state). Packets of 10-60 ms are re-cut into 20 ms frames, so a peer ignoring our ptime still
 * plays smoothly.
 */
public final class CallMedia implements PacedStream {

  private static final int SAMPLES_PER_FRAME = RtpConstants.SAMPLES_PER_20MS_FRAME;

  private final CallMediaSettings settings;
  private final RtpParser parser = new RtpParser();
  private final RtcpCodec rtcpCodec = new RtcpCodec();
  private final PacketSink rtcpOut;
  private final LongSupplier unixMillis;
  private final Random random;
  private final PlayoutQueue playout = new PlayoutQueue(SAMPLES_PER_FRAME);
  private final RtpSenderStream sender;
  private final QueuedProcessor pipeline;
  private final Pipeline arrivalBargeIn;
  private final FrameSink events;
  private final DtmfReceiver dtmf = new DtmfReceiver(RtpConstants.NARROWBAND_CLOCK_RATE);
  private final Object receiveLock = new Object();
  private G711Reframer reframer;
  private volatile G711Law law;
  private volatile boolean onHold;
  private JitterBuffer jitterBuffer;
  private int packetSamples = SAMPLES_PER_FRAME;
  private ReceptionStatistics reception;
  private long remoteSsrc = -1;
  private long unexpectedPayloadTypes;
  private long nextRtcpAtNanos = Long.MIN_VALUE;
  private volatile double remoteFractionLost = -1;
  private volatile double remoteJitterMillis = -1;
  private volatile double roundTripMillis = -1;
  private volatile boolean ended;

  /**
   * @param recognizer streaming speech-to-text seam
   * @param rtpOut the call's RTP socket, bound to the latched remote address
   * @param rtcpOut the call's RTCP socket
   * @param events receives the pipeline's decisions (on {@code pipelineExecutor})
   * @param pipelineExecutor runs the receive pipeline off the pacer thread (e.g. the call's Vert.x
   *     context); a direct executor runs it inline
   * @param firstPacketListener (utterance id, nanos) when a prompt's or reply's first packet leaves
   * @param unixMillis wall clock for RTCP NTP timestamps
   */
  public CallMedia(
      CallMediaSettings settings,
      SpeechRecognizer recognizer,
      PacketSink rtpOut,
      PacketSink rtcpOut,
      FrameSink events,
      Executor pipelineExecutor,
      BiConsumer<String, Long> firstPacketListener,
      LongSupplier unixMillis,
      Random random) {
    this.settings = settings;
    this.rtcpOut = rtcpOut;
    this.events = events;
    this.unixMillis = unixMillis;
    this.random = random;
    this.jitterBuffer = new JitterBuffer(settings.jitterBuffer());
    this.law = settings.law();
    this.reframer = new G711Reframer(SAMPLES_PER_FRAME, settings.law().silence());
    FrameSource source =
        () ->
            playout
                .nextFrame()
                .map(f -> new FrameSource.OutgoingFrame(f.samples(), f.utteranceId()));
    this.sender =
        new RtpSenderStream(
            source,
            rtpOut,
            settings.law(),
            settings.localSsrc(),
            random.nextInt(RtpConstants.SEQUENCE_MODULUS),
            random.nextInt() & 0xFFFFFFFFL,
            SAMPLES_PER_FRAME,
            firstPacketListener);
    this.pipeline =
        new QueuedProcessor(
            Pipeline.of(
                new G711DecodeProcessor(SAMPLES_PER_FRAME),
                new VadProcessor(settings.vad()),
                new SpeechToTextBridge(
                    recognizer, settings.preRollMillis(), settings.recognizerSendMillis())),
            pipelineExecutor);
    this.arrivalBargeIn =
        Pipeline.of(
            new G711DecodeProcessor(SAMPLES_PER_FRAME),
            new VadProcessor(settings.vad()),
            new BargeInProcessor(playout, settings.echoGuardMillis()));
  }

  /** Where synthesized replies and cached prompts are queued for the caller. */
  public PlayoutQueue playout() {
    return playout;
  }

  /**
   * Decides whether a parsed packet's source belongs to the call (see {@link SymmetricRtpLatch}).
   */
  @FunctionalInterface
  public interface SourceCheck {
    boolean accept(long ssrc, int sequenceNumber, long arrivalNanos);
  }

  /** One datagram from the call's RTP socket, from a source already known to be the caller's. */
  public InboundResult onRtp(byte[] buffer, int offset, int length, long arrivalNanos) {
    return onRtp(buffer, offset, length, arrivalNanos, (ssrc, seq, nanos) -> true);
  }

  /**
   * One datagram from the call's RTP socket; {@code sourceCheck} is usually {@code (ssrc, seq, t)
   * -> latch.accept(sender, ssrc, seq, t)} with the call's {@link SymmetricRtpLatch}.
   */
  public InboundResult onRtp(
      byte[] buffer, int offset, int length, long arrivalNanos, SourceCheck sourceCheck) {
    RtpParseResult parsed = parser.parse(buffer, offset, length);
    if (parsed instanceof RtpParseResult.Dropped dropped) {
      return new InboundResult.Dropped(dropped.reason());
    }
    RtpPacket packet = ((RtpParseResult.Parsed) parsed).packet();
    if (!sourceCheck.accept(packet.ssrc(), packet.sequenceNumber(), arrivalNanos)) {
      return new InboundResult.ForeignSource(packet.ssrc());
    }
    if (packet.payloadType() == settings.telephoneEventPayloadType()) {
      List<DtmfDigit> digits;
      synchronized (receiveLock) {
        digits = dtmf.onPacket(packet.timestamp(), packet.payload());
      }
      digits.forEach(digit -> pipeline.process(new DtmfFrame(digit), events));
      return new InboundResult.Dtmf(digits);
    }
    G711Law currentLaw = law;
    if (packet.payloadType() != currentLaw.payloadType()) {
      synchronized (receiveLock) {
        unexpectedPayloadTypes++;
      }
      return new InboundResult.UnexpectedPayloadType(packet.payloadType());
    }
    OfferResult offered;
    InterruptionFrame[] interruption = new InterruptionFrame[1];
    synchronized (receiveLock) {
      if (packet.ssrc() != remoteSsrc) {
        remoteSsrc = packet.ssrc();
        reception = new ReceptionStatistics(remoteSsrc, RtpConstants.NARROWBAND_CLOCK_RATE);
        packetSamples = packetSamplesOf(packet.payload().length);
        jitterBuffer = new JitterBuffer(jitterConfigFor(packetSamples));
        reframer.clear();
      }
      reception.onPacket(packet.sequenceNumber(), packet.timestamp(), arrivalNanos);
      if (onHold) {
        return new InboundResult.OnHold();
      }
      offered =
          jitterBuffer.offer(
              packet.sequenceNumber(), packet.timestamp(), packet.payload(), arrivalNanos);
      if (offered != OfferResult.DUPLICATE) {
        arrivalBargeIn.process(
            new EncodedAudioFrame(currentLaw, packet.payload()),
            frame -> {
              if (frame instanceof InterruptionFrame interrupted) {
                interruption[0] = interrupted;
              }
            });
      }
    }
    if (interruption[0] != null) {
      // Our audio has already stopped; the call hears of it through the pipeline's control lane.
      pipeline.process(interruption[0], events);
    }
    return new InboundResult.Audio(offered);
  }

  /** One datagram from the call's RTCP socket. */
  public RtcpParseResult onRtcp(byte[] buffer, int offset, int length, long arrivalNanos) {
    RtcpParseResult result = rtcpCodec.parse(buffer, offset, length);
    if (result instanceof RtcpParseResult.Parsed parsed) {
      for (RtcpPacket packet : parsed.packets()) {
        if (packet instanceof RtcpPacket.SenderReport sr) {
          synchronized (receiveLock) {
            if (reception != null && sr.ssrc() == remoteSsrc) {
              reception.onSenderReport(sr, arrivalNanos);
            }
          }
          sr.reports().forEach(this::onRemoteReport);
        } else if (packet instanceof RtcpPacket.ReceiverReport rr) {
          rr.reports().forEach(this::onRemoteReport);
        }
      }
    }
    return result;
  }

  /**
   * The caller put the call on hold (our direction recvonly or inactive, or {@code c=0.0.0.0}):
   * from the next tick no RTP is sent (RTCP continues), the audio being played and everything
   * queued behind it wait where they stopped, and the caller's audio (hold music) is neither
   * buffered, nor given to VAD/speech-to-text, nor able to barge in. Any thread.
   */
  public void hold() {
    onHold = true;
  }

  /**
   * The call is active again: playback continues with the frame after the last one sent, and the
   * caller is heard again. Audio from before the hold is dropped from the jitter buffer so the hold
   * is not concealed as a burst of loss. Any thread.
   */
  public void resume() {
    synchronized (receiveLock) {
      jitterBuffer = new JitterBuffer(jitterConfigFor(packetSamples));
      reframer.clear();
    }
    onHold = false;
  }

  /** Whether the call is on hold now. */
  public boolean onHold() {
    return onHold;
  }

  /**
   * A re-INVITE or UPDATE switched the codec (PCMU/PCMA): we send and expect the new law from now
   * on. Any thread.
   */
  public void changeLaw(G711Law newLaw) {
    if (newLaw == law) {
      return;
    }
    synchronized (receiveLock) {
      law = newLaw;
      reframer = new G711Reframer(SAMPLES_PER_FRAME, newLaw.silence());
    }
    sender.changeLaw(newLaw);
  }

  /** A partial transcript from the recognizer (tunes endpointing). Any thread. */
  public void onPartialTranscript(String text) {
    pipeline.process(new PartialTranscriptFrame(text), events);
  }

  /** A key press signalled out of band (SIP INFO), merged with RFC 4733 digits. Any thread. */
  public void onSignalledDtmf(char digit, int durationMillis) {
    pipeline.process(new DtmfFrame(new DtmfDigit(digit, -1, durationMillis, true)), events);
  }

  @Override
  public void onTick(long scheduledNanos, long nowNanos) {
    if (ended) {
      return;
    }
    if (onHold) {
      // RFC 3264 5.1: recvonly/inactive sends no RTP; RTCP goes on. Nothing is heard either.
      sender.skipTick();
      maybeSendRtcp(nowNanos);
      return;
    }
    sender.onTick(scheduledNanos, nowNanos); // the time-critical part first
    G711Reframer.Chunk chunk = null;
    synchronized (receiveLock) {
      // Poll the jitter buffer at the caller's packet rate: only when a 20 ms frame is short.
      while (reframer.available() < SAMPLES_PER_FRAME) {
        Playout next = jitterBuffer.poll();
        if (next instanceof Playout.Frame frame) {
          reframer.addPacket(frame.payload());
        } else if (next instanceof Playout.Lost) {
          reframer.addMissing(packetSamples);
        } else {
          break; // buffering
        }
      }
      if (reframer.available() >= SAMPLES_PER_FRAME) {
        chunk = reframer.take();
      }
    }
    if (chunk != null && chunk.missingSamples() * 2 < SAMPLES_PER_FRAME) {
      pipeline.process(new EncodedAudioFrame(law, chunk.payload()), events);
    } else {
      // Lost, or no audio at all (caller muted / DTX): time still passes for VAD and endpointing.
      pipeline.process(new MissingAudioFrame(SAMPLES_PER_FRAME), events);
    }
    maybeSendRtcp(nowNanos);
  }

  /** The compound RTCP report (SR + SDES CNAME) for now; also what {@link #onTick} sends. */
  public byte[] buildRtcpReport(long nowNanos) {
    List<RtcpReportBlock> blocks = new ArrayList<>(1);
    synchronized (receiveLock) {
      if (reception != null) {
        blocks.add(reception.buildReportBlock(nowNanos));
      }
    }
    List<RtcpPacket> compound =
        List.of(
            sender.senderReport(unixMillis.getAsLong(), blocks),
            new RtcpPacket.SourceDescription(settings.localSsrc(), settings.cname()));
    return RtcpCodec.serialize(compound);
  }

  /**
   * Ends the call's media: drops queued audio, cancels any open recognition, reports a pending key.
   */
  public void end(String reason) {
    ended = true;
    Optional<DtmfDigit> pending;
    synchronized (receiveLock) {
      pending = dtmf.flushPending();
    }
    pending.ifPresent(digit -> pipeline.process(new DtmfFrame(digit), events));
    playout.process(new EndFrame(reason), frame -> {});
    pipeline.process(new EndFrame(reason), events);
  }

  /** Media health now. */
  public MediaStats stats() {
    synchronized (receiveLock) {
      return new MediaStats(
          reception == null ? 0 : reception.received(),
          reception == null ? 0 : reception.cumulativeLost(),
          reception == null ? 0 : reception.jitterMillis(),
          jitterBuffer.stats(),
          jitterBuffer.targetDelayMillis(),
          parser.dropCounts(),
          unexpectedPayloadTypes,
          sender.packetsSent(),
          remoteFractionLost,
          remoteJitterMillis,
          roundTripMillis);
    }
  }

  /** Packet duration in samples from a G.711 payload: 10..60 ms, else assume our 20 ms. */
  private static int packetSamplesOf(int payloadLength) {
    return payloadLength >= 80 && payloadLength <= 480 && payloadLength % 80 == 0
        ? payloadLength
        : SAMPLES_PER_FRAME;
  }

  /** The configured jitter buffer, with its frame set to the caller's packet duration. */
  private JitterBufferConfig jitterConfigFor(int samples) {
    JitterBufferConfig base = settings.jitterBuffer();
    int frameMillis = samples / 8;
    int min = Math.max(base.minDelayMillis(), frameMillis);
    int max = Math.max(base.maxDelayMillis(), 2 * frameMillis);
    int initial = Math.min(max, Math.max(base.initialDelayMillis(), min));
    int capacity =
        Math.max(base.capacityFrames() * base.frameMillis() / frameMillis, max / frameMillis);
    return new JitterBufferConfig(frameMillis, min, max, initial, capacity);
  }

  private void onRemoteReport(RtcpReportBlock block) {
    if (block.ssrc() != settings.localSsrc()) {
      return;
    }
    remoteFractionLost = block.fractionLostRatio();
    remoteJitterMillis = block.interarrivalJitter() * 1000.0 / RtpConstants.NARROWBAND_CLOCK_RATE;
    if (block.lastSenderReport() != 0) {
      // RFC 3550 6.4.1: RTT = arrival - LSR - DLSR, all in compact NTP (1/65536 s) units.
      long nowCompact =
          (dev.switchboard.voice.rtp.NtpTime.fromUnixMillis(unixMillis.getAsLong()) >>> 16)
              & 0xFFFFFFFFL;
      long rtt =
          (nowCompact - block.lastSenderReport() - block.delaySinceLastSenderReport())
              & 0xFFFFFFFFL;
      if (rtt < 65536L * 10) { // ignore nonsense beyond 10 s
        roundTripMillis = rtt * 1000.0 / 65536.0;
      }
    }
  }

  private void maybeSendRtcp(long nowNanos) {
    if (nextRtcpAtNanos == Long.MIN_VALUE) {
      nextRtcpAtNanos = nowNanos + nextRtcpInterval() / 2; // first report early (RFC 3550 6.2)
      return;
    }
    if (nowNanos >= nextRtcpAtNanos) {
      byte[] report = buildRtcpReport(nowNanos);
      rtcpOut.send(report, report.length);
      nextRtcpAtNanos = nowNanos + nextRtcpInterval();
    }
  }

  private long nextRtcpInterval() {
    double factor = 0.5 + random.nextDouble(); // RFC 3550 6.2: randomise 0.5..1.5 x
    return (long) (settings.rtcpIntervalMillis() * factor * 1_000_000L);
  }
}
