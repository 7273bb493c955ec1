package dev.switchboard.voice.media;

import static dev.switchboard.voice.testsupport.TestAudio.concat;
import static dev.switchboard.voice.testsupport.TestAudio.readWav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.dtmf.TelephoneEventPackets;
import dev.switchboard.voice.pacing.PacedScheduler;
import dev.switchboard.voice.pipeline.DtmfFrame;
import dev.switchboard.voice.pipeline.Frame;
import dev.switchboard.voice.pipeline.InterruptionFrame;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.pipeline.TtsAudioFrame;
import dev.switchboard.voice.pipeline.UserStartedSpeakingFrame;
import dev.switchboard.voice.pipeline.UserStoppedSpeakingFrame;
import dev.switchboard.voice.rtp.NtpTime;
import dev.switchboard.voice.rtp.RtcpCodec;
import dev.switchboard.voice.rtp.RtcpPacket;
import dev.switchboard.voice.rtp.RtcpParseResult;
import dev.switchboard.voice.rtp.RtcpReportBlock;
import dev.switchboard.voice.rtp.RtpPacket;
import dev.switchboard.voice.rtp.RtpParseResult;
import dev.switchboard.voice.rtp.RtpParser;
import dev.switchboard.voice.rtp.RtpSerializer;
import dev.switchboard.voice.testsupport.TestAudio;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A whole call's media path driven by datagrams and a virtual 20 ms clock, no sockets. */
class CallMediaTest {

  private static final long MS = 1_000_000L;
  private static final long OUR_SSRC = 0x5B5B5B5BL;
  private static final long CALLER_SSRC = 0xCA11E4L;
  private static final long EPOCH_MILLIS = 1_764_000_000_000L;

  private final AtomicLong clock = new AtomicLong(10_000 * MS);
  private final List<Frame> events = new ArrayList<>();
  private final List<byte[]> rtpSent = new ArrayList<>();
  private final List<byte[]> rtcpSent = new ArrayList<>();
  private final List<String> recognizer = new ArrayList<>();
  private final List<String> firstPackets = new ArrayList<>();

  /** Stands in for model-adapter's SpeechToText at the recognizer seam: records stream events. */
  private final SpeechRecognizer recorder =
      new SpeechRecognizer() {
        @Override
        public int sampleRate() {
          return 16_000;
        }

        @Override
        public RecognitionStream open() {
          recognizer.add("open");
          return new RecognitionStream() {
            @Override
            public void send(short[] samples) {}

            @Override
            public void finish() {
              recognizer.add("finish");
            }

            @Override
            public void cancel() {
              recognizer.add("cancel");
            }
          };
        }
      };

  private final CallMedia media =
      new CallMedia(
          CallMediaSettings.defaults(G711Law.ULAW, 101, OUR_SSRC, "voice@node-0"),
          recorder,
          (datagram, length) -> rtpSent.add(Arrays.copyOf(datagram, length)),
          (datagram, length) -> rtcpSent.add(Arrays.copyOf(datagram, length)),
          events::add,
          Runnable::run,
          (utterance, nanos) -> firstPackets.add(utterance),
          () -> EPOCH_MILLIS + (clock.get() - 10_000 * MS) / MS,
          new Random(7));

  private record Arrival(long atNanos, byte[] datagram) {}

  /** The caller's phone: 20 ms PCMU packets of {@code pcm}, with a little network trouble. */
  private static List<Arrival> callerStream(short[] pcm, long startNanos, int firstSeq) {
    List<Arrival> arrivals = new ArrayList<>();
    int frames = pcm.length / 160;
    for (int k = 0; k < frames; k++) {
      if (k == 30 || k == 31) {
        continue; // lost
      }
      byte[] payload = new byte[160];
      G711.encode(G711Law.ULAW, pcm, k * 160, 160, payload, 0);
      byte[] datagram =
          RtpSerializer.serialize(
              RtpPacket.of(
                  k == 0, 0, (firstSeq + k) & 0xFFFF, 1000L + 160L * k, CALLER_SSRC, payload));
      long delay = k % 7 == 3 ? 30 : 5; // every 7th packet overtaken by the next one
      arrivals.add(new Arrival(startNanos + k * 20 * MS + delay * MS, datagram));
      if (k == 60) {
        arrivals.add(new Arrival(startNanos + k * 20 * MS + 8 * MS, datagram)); // duplicate
      }
    }
    arrivals.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));
    return arrivals;
  }

  private void run(List<Arrival> arrivals, long untilNanos) {
    PacedScheduler scheduler = new PacedScheduler(20, 20, clock::get);
    scheduler.register(media);
    int next = 0;
    while (clock.get() < untilNanos) {
      while (next < arrivals.size() && arrivals.get(next).atNanos <= clock.get()) {
        byte[] d = arrivals.get(next++).datagram;
        media.onRtp(d, 0, d.length, clock.get());
      }
      scheduler.runDue();
      clock.addAndGet(MS);
    }
  }

  @Test
  void aCallersQuestionAndAKeyPressBecomeOneTurnAndOneDigitWhileWeSendSteadyRtp() {
    long start = clock.get();
    short[] question = concat(readWav("/audio/s1_8k.wav"), new short[8000]);
    List<Arrival> arrivals = new ArrayList<>(callerStream(question, start, 65_500));
    long keyAt = start + 4_800 * MS;
    int seq = 0;
    for (RtpPacket p :
        TelephoneEventPackets.forKeyPress(
            '5', 120, 101, 400, 1000L + 160 * 240, CALLER_SSRC, 8000)) {
      arrivals.add(new Arrival(keyAt + seq++ * 20 * MS, RtpSerializer.serialize(p)));
    }
    arrivals.sort((a, b) -> Long.compare(a.atNanos, b.atNanos));

    run(arrivals, start + 6_000 * MS);

    assertEquals(
        1,
        events.stream().filter(UserStartedSpeakingFrame.class::isInstance).count(),
        events.toString());
    assertEquals(1, events.stream().filter(UserStoppedSpeakingFrame.class::isInstance).count());
    List<DtmfFrame> digits =
        events.stream().filter(DtmfFrame.class::isInstance).map(DtmfFrame.class::cast).toList();
    assertEquals(1, digits.size());
    assertEquals('5', digits.get(0).digit().digit());
    assertEquals(List.of("open", "finish"), recognizer);

    // One packet per 20 ms tick, in sequence, all silence (we had nothing to say).
    RtpParser parser = new RtpParser();
    assertEquals(300, rtpSent.size(), 1.0);
    RtpPacket first =
        assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(rtpSent.get(0))).packet();
    RtpPacket last =
        assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(rtpSent.get(rtpSent.size() - 1)))
            .packet();
    assertEquals(OUR_SSRC, first.ssrc());
    assertEquals((first.sequenceNumber() + rtpSent.size() - 1) & 0xFFFF, last.sequenceNumber());
    assertEquals((first.timestamp() + 160L * (rtpSent.size() - 1)) & 0xFFFFFFFFL, last.timestamp());

    MediaStats stats = media.stats();
    // RFC 3550 A.3 counts the duplicate as received: 2 lost - 1 duplicate = 1.
    assertEquals(1, stats.cumulativeLost());
    assertEquals(2, stats.jitterBuffer().concealed(), "the two lost frames were concealed");
    assertEquals(1, stats.jitterBuffer().duplicates());
    assertEquals(0, stats.jitterBuffer().late());
    assertTrue(stats.interarrivalJitterMillis() > 1, "reordering shows as jitter");

    // RTCP went out on its own; the report tells the caller what we lost.
    assertTrue(rtcpSent.size() >= 1, "an RTCP report within 6 s");
    RtcpParseResult parsed = new RtcpCodec().parse(media.buildRtcpReport(clock.get()));
    List<RtcpPacket> compound = assertInstanceOf(RtcpParseResult.Parsed.class, parsed).packets();
    RtcpPacket.SenderReport sr = assertInstanceOf(RtcpPacket.SenderReport.class, compound.get(0));
    assertEquals(OUR_SSRC, sr.ssrc());
    assertEquals(rtpSent.size(), sr.packetCount());
    assertEquals(CALLER_SSRC, sr.reports().get(0).ssrc());
    assertEquals(1, sr.reports().get(0).cumulativeLost());
    assertEquals(new RtcpPacket.SourceDescription(OUR_SSRC, "voice@node-0"), compound.get(1));
  }

  @Test
  void theCallersReceiverReportGivesOurLossJitterAndRoundTrip() {
    run(List.of(), clock.get() + 200 * MS);
    long lastSr = (NtpTime.fromUnixMillis(EPOCH_MILLIS + 100) >>> 16) & 0xFFFFFFFFL;
    // The caller got our SR sent at +100 ms, held it 50 ms (DLSR), and its RR arrives at +200 ms.
    RtcpReportBlock aboutUs = new RtcpReportBlock(OUR_SSRC, 64, 3, 10, 160, lastSr, 65536 / 20);
    byte[] rr =
        RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(CALLER_SSRC, List.of(aboutUs))));

    media.onRtcp(rr, 0, rr.length, clock.get());

    MediaStats stats = media.stats();
    assertEquals(0.25, stats.remoteFractionLost(), 1e-9);
    assertEquals(20.0, stats.remoteJitterMillis(), 1e-9);
    assertEquals(50.0, stats.roundTripMillis(), 2.0);
  }

  @Test
  void callerSpeechOverOurReplyInterruptsItAndOurRtpFallsSilentWithinOneFrame() {
    long start = clock.get();
    media
        .playout()
        .enqueue(
            new TtsAudioFrame(TestAudio.tone(500, 8000, 8000, 8000 * 6), 8000, "reply-0", true));
    short[] caller = concat(new short[8000], readWav("/audio/s2_8k.wav"));

    run(callerStream(caller, start, 1), start + 4_000 * MS);

    assertEquals(List.of("reply-0"), firstPackets);
    assertEquals(
        1, events.stream().filter(InterruptionFrame.class::isInstance).count(), events.toString());
    // Find the first silent packet: everything before it is reply audio, everything after silence.
    RtpParser parser = new RtpParser();
    byte[] silence = new byte[160];
    Arrays.fill(silence, G711.ULAW_SILENCE);
    List<Boolean> silent =
        rtpSent.stream()
            .map(
                d ->
                    Arrays.equals(
                        silence,
                        assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(d))
                            .packet()
                            .payload()))
            .toList();
    int firstSilent = silent.indexOf(true);
    assertTrue(firstSilent > 50, "the reply played for over a second first");
    assertTrue(
        silent.subList(firstSilent, silent.size()).stream().allMatch(s -> s),
        "and then stopped for good");
    // Barge-in is decided on packets as they arrive, so the jitter buffer's delay does not count:
    // silent within the VAD's onset, the packet's network delay and one frame.
    long speechStart = firstActiveFrame(caller) * 20L;
    long stoppedAfter = firstSilent * 20L - speechStart;
    assertTrue(
        stoppedAfter <= 60 + 5 + 20 + 20,
        "silent "
            + stoppedAfter
            + " ms after the caller's speech began (onset + network + one frame + tick)");
  }

  /** The first 20 ms frame loud enough for the VAD (above its -55 dBFS floor). */
  private static int firstActiveFrame(short[] pcm) {
    for (int k = 0; k + 1 < pcm.length / 160; k++) {
      if (20 * Math.log10(TestAudio.rms(pcm, k * 160, (k + 1) * 160) / 32768.0) >= -55) {
        return k;
      }
    }
    throw new AssertionError("no speech in the caller's audio");
  }

  @Test
  void onHoldWeSendNoRtpHearNothingAndOnResumeTheReplyContinuesWhereItStopped() {
    long start = clock.get();
    short[] reply = TestAudio.tone(500, 8000, 8000, 8000 * 2); // 2 s = 100 frames
    media.playout().enqueue(new TtsAudioFrame(reply, 8000, "reply-0", true));
    media.playout().flushUtterance();
    run(List.of(), start + 500 * MS); // 25 frames played
    int sentBeforeHold = rtpSent.size();
    int rtcpBeforeHold = rtcpSent.size();
    byte[] silence = new byte[160];
    Arrays.fill(silence, G711.ULAW_SILENCE);
    RtpParser parser = new RtpParser();
    List<RtpPacket> before =
        rtpSent.stream()
            .map(d -> assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(d)).packet())
            .toList();
    long replyFramesBefore =
        before.stream().filter(p -> !Arrays.equals(silence, p.payload())).count();
    assertTrue(replyFramesBefore >= 20, "the reply was playing when the hold began");
    RtpPacket lastBeforeHold = before.get(before.size() - 1);

    media.hold();
    // The caller talks (or plays music) for 6 s while holding.
    run(callerStream(readWav("/audio/s2_8k.wav"), clock.get(), 1), clock.get() + 6_000 * MS);

    assertEquals(sentBeforeHold, rtpSent.size(), "no RTP while on hold");
    assertTrue(rtcpSent.size() > rtcpBeforeHold, "RTCP goes on during the hold");
    assertTrue(
        events.stream().noneMatch(e -> e instanceof UserStartedSpeakingFrame),
        "speech on hold is not heard: " + events);
    assertTrue(events.stream().noneMatch(InterruptionFrame.class::isInstance), "nor barges in");
    assertEquals(List.of(), recognizer, "nothing went to speech-to-text");
    assertTrue(media.stats().packetsReceived() > 100, "but the packets were counted for RTCP");

    media.resume();
    run(List.of(), clock.get() + 2_000 * MS);

    List<RtpPacket> after =
        rtpSent.subList(sentBeforeHold, rtpSent.size()).stream()
            .map(d -> assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(d)).packet())
            .toList();
    long replyFramesAfter =
        after.stream().filter(p -> !Arrays.equals(silence, p.payload())).count();
    assertEquals(100, replyFramesBefore + replyFramesAfter, "every frame of the reply, once");
    assertTrue(after.get(0).marker(), "the resumed audio starts a talkspurt");
    assertEquals((lastBeforeHold.sequenceNumber() + 1) & 0xFFFF, after.get(0).sequenceNumber());
    long ticksOnHold = (after.get(0).timestamp() - lastBeforeHold.timestamp()) / 160;
    assertTrue(
        ticksOnHold >= 299 && ticksOnHold <= 303,
        "the RTP clock kept running through the 6 s hold: " + ticksOnHold + " ticks");
    assertEquals(List.of("reply-0"), firstPackets, "the resumed reply is not a new utterance");
  }

  @Test
  void aReInviteSwitchingTheCodecIsFollowedBothWays() {
    media.changeLaw(G711Law.ALAW);
    media
        .playout()
        .enqueue(new TtsAudioFrame(TestAudio.tone(500, 8000, 8000, 800), 8000, "r", true));
    run(List.of(), clock.get() + 100 * MS);

    RtpPacket sent =
        assertInstanceOf(RtpParseResult.Parsed.class, new RtpParser().parse(rtpSent.get(0)))
            .packet();
    assertEquals(8, sent.payloadType(), "we send PCMA now");
    byte[] pcma = RtpSerializer.serialize(RtpPacket.of(true, 8, 1, 0, CALLER_SSRC, new byte[160]));
    byte[] pcmu =
        RtpSerializer.serialize(RtpPacket.of(false, 0, 2, 160, CALLER_SSRC, new byte[160]));
    assertInstanceOf(InboundResult.Audio.class, media.onRtp(pcma, 0, pcma.length, clock.get()));
    assertEquals(
        new InboundResult.UnexpectedPayloadType(0), media.onRtp(pcmu, 0, pcmu.length, clock.get()));
  }

  @Test
  void packetsFromAStrangerAreRejectedOnceTheCallersSourceIsLatched() {
    SymmetricRtpLatch<String> latch = new SymmetricRtpLatch<>("sdp-address", 2_000 * MS);
    List<Arrival> caller = callerStream(new short[160 * 10], clock.get(), 1);
    for (Arrival a : caller.subList(0, 3)) {
      assertInstanceOf(
          InboundResult.Audio.class,
          media.onRtp(
              a.datagram(),
              0,
              a.datagram().length,
              a.atNanos(),
              (ssrc, seq, t) -> latch.accept("caller-nat", ssrc, seq, t)));
    }
    byte[] injected = RtpSerializer.serialize(RtpPacket.of(false, 0, 7, 0, 0xBAD, new byte[160]));

    InboundResult result =
        media.onRtp(
            injected,
            0,
            injected.length,
            clock.get(),
            (ssrc, seq, t) -> latch.accept("attacker", ssrc, seq, t));

    assertEquals(new InboundResult.ForeignSource(0xBAD), result);
    assertEquals("caller-nat", latch.remote());
    assertEquals(3, media.stats().packetsReceived());
  }
}
