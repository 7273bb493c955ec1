package dev.switchboard.voice.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpTest {

  private static final long MS = 1_000_000L;
  private final RtcpCodec codec = new RtcpCodec();

  @Test
  void compoundSenderReportWithCnameRoundTrips() {
    RtcpReportBlock block = new RtcpReportBlock(0xCAFEL, 25, -3, 0x1_0005L, 80, 0x12345678L, 65536);
    RtcpPacket.SenderReport sr =
        new RtcpPacket.SenderReport(
            0xABCDEF01L,
            NtpTime.fromUnixMillis(1_700_000_000_123L),
            160_000,
            1000,
            160_000,
            List.of(block));
    RtcpPacket.SourceDescription sdes =
        new RtcpPacket.SourceDescription(0xABCDEF01L, "node-1@switchboard");

    byte[] datagram = RtcpCodec.serialize(List.of(sr, sdes));

    assertEquals(0, datagram.length % 4);
    assertEquals((byte) 0x81, datagram[0], "V=2, RC=1");
    assertEquals((byte) 200, datagram[1]);
    List<RtcpPacket> packets = parsed(codec.parse(datagram));
    assertEquals(List.of(sr, sdes), packets);
    assertEquals(-3, ((RtcpPacket.SenderReport) packets.get(0)).reports().get(0).cumulativeLost());
  }

  @Test
  void receiverReportAndByeRoundTrip() {
    RtcpPacket.ReceiverReport rr =
        new RtcpPacket.ReceiverReport(
            7, List.of(new RtcpReportBlock(9, 255, 0x7FFFFF, 65535, 0xFFFFFFFFL, 0, 0)));
    RtcpPacket.Bye bye = new RtcpPacket.Bye(List.of(7L), "call ended");

    assertEquals(List.of(rr, bye), parsed(codec.parse(RtcpCodec.serialize(List.of(rr, bye)))));
  }

  @Test
  void unknownPacketTypesAreSkippedNotFatal() {
    byte[] rr = RtcpCodec.serialize(List.of(new RtcpPacket.ReceiverReport(7, List.of())));
    byte[] app = {(byte) 0x80, (byte) 204, 0, 2, 0, 0, 0, 7, 'n', 'a', 'm', 'e'};
    byte[] datagram = new byte[rr.length + app.length];
    System.arraycopy(rr, 0, datagram, 0, rr.length);
    System.arraycopy(app, 0, datagram, rr.length, app.length);

    List<RtcpPacket> packets = parsed(codec.parse(datagram));

    assertEquals(new RtcpPacket.Unknown(204, 12), packets.get(1));
  }

  @Test
  void malformedRtcpIsACountedDrop() {
    byte[] rr =
        RtcpCodec.serialize(
            List.of(
                new RtcpPacket.ReceiverReport(
                    7, List.of(new RtcpReportBlock(1, 0, 0, 0, 0, 0, 0)))));
    byte[] lengthTooLong = rr.clone();
    lengthTooLong[3] = 100;
    byte[] countTooHigh = rr.clone();
    countTooHigh[0] = (byte) 0x83;
    byte[] version1 = rr.clone();
    version1[0] = 0x41;

    assertInstanceOf(RtcpParseResult.Dropped.class, codec.parse(lengthTooLong));
    assertInstanceOf(RtcpParseResult.Dropped.class, codec.parse(countTooHigh));
    assertInstanceOf(RtcpParseResult.Dropped.class, codec.parse(version1));
    assertInstanceOf(RtcpParseResult.Dropped.class, codec.parse(new byte[] {1, 2, 3}));
    assertEquals(4, codec.dropCount());

    Random random = new Random(1);
    for (int i = 0; i < 5000; i++) {
      byte[] junk = new byte[4 * random.nextInt(16)];
      random.nextBytes(junk);
      codec.parse(junk); // must not throw
    }
  }

  @Test
  void ntpTimestampsConvertBothWays() {
    long unixMillis = 1_764_000_000_250L;
    long ntp = NtpTime.fromUnixMillis(unixMillis);
    assertEquals(unixMillis, NtpTime.toUnixMillis(ntp));
    assertEquals(0x4000_0000L, ntp & 0xFFFFFFFFL, "250 ms is a quarter of 2^32");
  }

  @Test
  void lossFractionAndCumulativeLossFollowAppendixA3() {
    ReceptionStatistics stats = new ReceptionStatistics(0x1111, 8000);
    long t = 0;
    for (int seq = 0; seq < 100; seq++) {
      t += 20 * MS;
      if (seq % 10 != 5) { // lose one packet in ten
        stats.onPacket(seq, seq * 160L, t);
      }
    }

    RtcpReportBlock first = stats.buildReportBlock(t);
    assertEquals(10, first.cumulativeLost());
    assertEquals(25, first.fractionLost(), "10 of 100 lost = 25/256");
    assertEquals(99, first.extendedHighestSequence());

    for (int seq = 100; seq < 150; seq++) {
      t += 20 * MS;
      stats.onPacket(seq, seq * 160L, t);
    }
    RtcpReportBlock second = stats.buildReportBlock(t);
    assertEquals(0, second.fractionLost(), "no loss in the second interval");
    assertEquals(10, second.cumulativeLost(), "cumulative loss is kept");
  }

  @Test
  void duplicatesMakeCumulativeLossNegativeAndFractionZero() {
    ReceptionStatistics stats = new ReceptionStatistics(1, 8000);
    for (int seq = 0; seq < 10; seq++) {
      stats.onPacket(seq, seq * 160L, seq * 20 * MS);
      stats.onPacket(seq, seq * 160L, seq * 20 * MS + MS);
    }
    RtcpReportBlock block = stats.buildReportBlock(200 * MS);
    assertEquals(-10, block.cumulativeLost());
    assertEquals(0, block.fractionLost());
  }

  @Test
  void sequenceWrapAroundExtendsTheHighestSequenceNumber() {
    ReceptionStatistics stats = new ReceptionStatistics(1, 8000);
    for (int i = 0; i < 20; i++) {
      int seq = (65530 + i) & 0xFFFF;
      stats.onPacket(seq, i * 160L, i * 20 * MS);
    }
    RtcpReportBlock block = stats.buildReportBlock(400 * MS);
    assertEquals(65536 + 13, block.extendedHighestSequence());
    assertEquals(0, block.cumulativeLost());
  }

  @Test
  void aSingleWildSequenceJumpIsIgnoredButAConfirmedOneRestartsTracking() {
    ReceptionStatistics stats = new ReceptionStatistics(1, 8000);
    stats.onPacket(100, 0, 0);
    stats.onPacket(101, 160, 20 * MS);
    assertEquals(false, stats.onPacket(40_000, 320, 40 * MS));
    assertEquals(true, stats.onPacket(40_001, 480, 60 * MS));
    assertEquals(40_001, stats.extendedHighestSequence());
  }

  @Test
  void jitterIsZeroForPerfectPacingAndTracksAlternatingDelay() {
    ReceptionStatistics steady = new ReceptionStatistics(1, 8000);
    for (int seq = 0; seq < 200; seq++) {
      steady.onPacket(seq, seq * 160L, 5 * MS + seq * 20 * MS);
    }
    assertEquals(0, steady.jitterTimestampUnits());

    ReceptionStatistics wobbly = new ReceptionStatistics(1, 8000);
    for (int seq = 0; seq < 200; seq++) {
      long lateness = seq % 2 == 0 ? 0 : 10 * MS; // every other packet 10 ms late
      wobbly.onPacket(seq, seq * 160L, seq * 20 * MS + lateness);
    }
    // |D| is 10 ms = 80 timestamp units every step, so J converges to 80 (A.8).
    assertTrue(
        wobbly.jitterTimestampUnits() >= 78 && wobbly.jitterTimestampUnits() <= 80,
        "jitter " + wobbly.jitterTimestampUnits());
    assertEquals(10.0, wobbly.jitterMillis(), 0.3);
  }

  @Test
  void reportEchoesTheLastSenderReportAndTheDelaySinceIt() {
    ReceptionStatistics stats = new ReceptionStatistics(1, 8000);
    stats.onPacket(1, 0, 0);
    RtcpPacket.SenderReport sr =
        new RtcpPacket.SenderReport(1, 0x0001_2345_6789_0000L, 0, 1, 160, List.of());
    stats.onSenderReport(sr, 1000 * MS);

    RtcpReportBlock block = stats.buildReportBlock(1500 * MS);

    assertEquals(0x2345_6789L, block.lastSenderReport());
    assertEquals(32768, block.delaySinceLastSenderReport(), "0.5 s in 1/65536 s units");
  }

  private static List<RtcpPacket> parsed(RtcpParseResult result) {
    return assertInstanceOf(RtcpParseResult.Parsed.class, result).packets();
  }
}
