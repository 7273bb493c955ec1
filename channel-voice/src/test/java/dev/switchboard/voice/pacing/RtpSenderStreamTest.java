package dev.switchboard.voice.pacing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.codec.G711;
import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.pipeline.PlayoutQueue;
import dev.switchboard.voice.pipeline.TtsAudioFrame;
import dev.switchboard.voice.rtp.RtcpPacket;
import dev.switchboard.voice.rtp.RtpPacket;
import dev.switchboard.voice.rtp.RtpParseResult;
import dev.switchboard.voice.rtp.RtpParser;
import dev.switchboard.voice.testsupport.TestAudio;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RtpSenderStreamTest {

  private static final long MS = 1_000_000L;

  @Test
  void sendsPlayoutAudioAsPacedG711PacketsWithMarkersAndSilenceBetweenTalkspurts() {
    PlayoutQueue playout = new PlayoutQueue(160);
    short[] greeting = TestAudio.tone(440, 8000, 8000, 480); // three frames
    short[] reply = TestAudio.tone(880, 8000, 8000, 320); // two frames
    playout.enqueue(new TtsAudioFrame(greeting, 8000, "greeting", false));
    playout.flushUtterance();
    List<byte[]> wire = new ArrayList<>();
    List<String> firstPackets = new ArrayList<>();
    RtpSenderStream stream =
        new RtpSenderStream(
            () ->
                playout
                    .nextFrame()
                    .map(f -> new FrameSource.OutgoingFrame(f.samples(), f.utteranceId())),
            (datagram, length) -> wire.add(java.util.Arrays.copyOf(datagram, length)),
            G711Law.ULAW,
            0xABCDEFL,
            65534,
            0xFFFFFF00L,
            160,
            (utterance, nanos) -> firstPackets.add(utterance + "@" + nanos / MS));
    AtomicLong clock = new AtomicLong();
    PacedScheduler scheduler = new PacedScheduler(20, 20, clock::get);
    scheduler.register(stream);

    for (int tick = 0; tick < 10; tick++) {
      if (tick == 5) {
        playout.enqueue(new TtsAudioFrame(reply, 8000, "reply-0", true));
        playout.flushUtterance();
      }
      scheduler.runDue();
      clock.addAndGet(20 * MS);
    }

    RtpParser parser = new RtpParser();
    List<RtpPacket> packets =
        wire.stream()
            .map(b -> assertInstanceOf(RtpParseResult.Parsed.class, parser.parse(b)).packet())
            .toList();
    assertEquals(10, packets.size(), "one packet per tick, also in silence");
    for (int i = 0; i < packets.size(); i++) {
      RtpPacket p = packets.get(i);
      assertEquals(0, p.payloadType());
      assertEquals(0xABCDEFL, p.ssrc());
      assertEquals((65534 + i) & 0xFFFF, p.sequenceNumber(), "sequence wraps");
      assertEquals((0xFFFFFF00L + 160L * i) & 0xFFFFFFFFL, p.timestamp(), "timestamp wraps");
      assertEquals(160, p.payload().length);
    }
    List<Boolean> markers = packets.stream().map(RtpPacket::marker).toList();
    assertEquals(
        List.of(true, false, false, false, false, true, false, false, false, false), markers);
    assertArrayEquals(
        G711.encode(G711Law.ULAW, java.util.Arrays.copyOfRange(greeting, 160, 320)),
        packets.get(1).payload());
    byte[] silence = new byte[160];
    java.util.Arrays.fill(silence, G711.ULAW_SILENCE);
    assertArrayEquals(silence, packets.get(3).payload());
    assertArrayEquals(silence, packets.get(7).payload());
    assertEquals(List.of("greeting@0", "reply-0@100"), firstPackets);

    RtcpPacket.SenderReport sr = stream.senderReport(1_700_000_000_000L, List.of());
    assertEquals(10, sr.packetCount());
    assertEquals(1600, sr.octetCount());
    assertEquals((0xFFFFFF00L + 160L * 9) & 0xFFFFFFFFL, sr.rtpTimestamp());
  }

  @Test
  void bargeInSilencesTheVeryNextPacket() {
    PlayoutQueue playout = new PlayoutQueue(160);
    playout.enqueue(
        new TtsAudioFrame(TestAudio.tone(440, 8000, 8000, 8000), 8000, "reply-0", true));
    List<byte[]> wire = new ArrayList<>();
    RtpSenderStream stream =
        new RtpSenderStream(
            () ->
                playout
                    .nextFrame()
                    .map(f -> new FrameSource.OutgoingFrame(f.samples(), f.utteranceId())),
            (datagram, length) -> wire.add(java.util.Arrays.copyOf(datagram, length)),
            G711Law.ALAW,
            1,
            0,
            0,
            160,
            (u, n) -> {});

    stream.onTick(0, 0);
    stream.onTick(20 * MS, 20 * MS);
    playout.interrupt();
    stream.onTick(40 * MS, 40 * MS);

    byte[] silence = new byte[160];
    java.util.Arrays.fill(silence, G711.ALAW_SILENCE);
    assertFalse(
        java.util.Arrays.equals(silence, java.util.Arrays.copyOfRange(wire.get(1), 12, 172)));
    assertArrayEquals(silence, java.util.Arrays.copyOfRange(wire.get(2), 12, 172));
    assertTrue(playout.droppedFrames() >= 47);
  }
}
