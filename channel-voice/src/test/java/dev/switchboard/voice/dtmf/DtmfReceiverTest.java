package dev.switchboard.voice.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.rtp.RtpPacket;
import dev.switchboard.voice.rtp.RtpParseResult;
import dev.switchboard.voice.rtp.RtpParser;
import dev.switchboard.voice.rtp.RtpSerializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DtmfReceiverTest {

  private static final int PT = 101;
  private static final long SSRC = 0x5151;
  private final DtmfReceiver receiver = new DtmfReceiver(8000);
  private final RtpParser parser = new RtpParser();

  @Test
  void onePressWithThreeRedundantEndPacketsIsOneDigit() {
    List<RtpPacket> train = TelephoneEventPackets.forKeyPress('5', 120, PT, 10, 8000, SSRC, 8000);
    assertEquals(5, train.size(), "two updates at 50 and 100 ms, then three end packets");
    assertTrue(train.get(0).marker());

    List<DtmfDigit> digits = receiveOverTheWire(train);

    assertEquals(List.of(new DtmfDigit('5', 8000, 120, true)), digits);
  }

  @Test
  void aDialledSequenceComesOutInOrderIncludingTheSameKeyTwice() {
    List<RtpPacket> packets = new ArrayList<>();
    String dialled = "12#*0AA9";
    long timestamp = 0;
    int sequence = 65530; // wraps during the sequence
    for (char key : dialled.toCharArray()) {
      List<RtpPacket> press =
          TelephoneEventPackets.forKeyPress(key, 100, PT, sequence, timestamp, SSRC, 8000);
      packets.addAll(press);
      sequence += press.size();
      timestamp += 8000; // next press a second later
    }

    StringBuilder heard = new StringBuilder();
    receiveOverTheWire(packets).forEach(d -> heard.append(d.digit()));

    assertEquals(dialled, heard.toString());
  }

  @Test
  void reorderedAndDuplicatedPacketsOfOnePressStillGiveOneDigit() {
    List<RtpPacket> train =
        new ArrayList<>(TelephoneEventPackets.forKeyPress('7', 300, PT, 1, 480, SSRC, 8000));
    train.addAll(new ArrayList<>(train)); // every packet twice
    Collections.shuffle(train, new Random(4733));

    List<DtmfDigit> digits = receiveOverTheWire(train);

    assertEquals(1, digits.size());
    assertEquals('7', digits.get(0).digit());
  }

  @Test
  void aPressWhoseEndPacketsWereAllLostIsReportedWhenTheNextPressStarts() {
    List<RtpPacket> first = TelephoneEventPackets.forKeyPress('3', 200, PT, 1, 0, SSRC, 8000);
    List<RtpPacket> firstWithoutEnds = first.subList(0, first.size() - 3);
    List<RtpPacket> second = TelephoneEventPackets.forKeyPress('4', 100, PT, 10, 8000, SSRC, 8000);
    List<RtpPacket> all = new ArrayList<>(firstWithoutEnds);
    all.addAll(second);

    List<DtmfDigit> digits = receiveOverTheWire(all);

    assertEquals(2, digits.size());
    assertEquals(new DtmfDigit('3', 0, 150, false), digits.get(0));
    assertEquals(new DtmfDigit('4', 8000, 100, true), digits.get(1));
  }

  @Test
  void flushReportsAnUnfinishedPressOnceAndOnlyOnce() {
    List<RtpPacket> first = TelephoneEventPackets.forKeyPress('9', 200, PT, 1, 0, SSRC, 8000);
    assertTrue(receiveOverTheWire(first.subList(0, 2)).isEmpty());

    DtmfDigit flushed = receiver.flushPending().orElseThrow();
    assertEquals('9', flushed.digit());
    assertFalse(flushed.endSeen());
    assertTrue(receiver.flushPending().isEmpty());
    // A late end packet of the same press is recognised and not reported again.
    assertTrue(receiveOverTheWire(first.subList(first.size() - 1, first.size())).isEmpty());
  }

  @Test
  void flashAndMalformedPayloadsAreCountedAndProduceNoDigits() {
    byte[] flash = new TelephoneEvent(TelephoneEvent.FLASH, true, 10, 800).serialize();
    assertTrue(receiver.onPacket(100, flash).isEmpty());
    assertTrue(receiver.onPacket(200, new byte[] {1, 2}).isEmpty());
    assertEquals(1, receiver.ignoredCount());
    assertEquals(1, receiver.malformedCount());
  }

  @Test
  void payloadFieldsRoundTrip() {
    TelephoneEvent event = new TelephoneEvent(11, true, 63, 65535);
    assertEquals(event, TelephoneEvent.parse(event.serialize()).orElseThrow());
    assertEquals('#', event.digit().orElseThrow());
    assertEquals(12, TelephoneEvent.eventCodeOf('a'));
  }

  private List<DtmfDigit> receiveOverTheWire(List<RtpPacket> packets) {
    List<DtmfDigit> digits = new ArrayList<>();
    for (RtpPacket sent : packets) {
      RtpParseResult result = parser.parse(RtpSerializer.serialize(sent));
      RtpPacket packet = assertInstanceOf(RtpParseResult.Parsed.class, result).packet();
      assertEquals(PT, packet.payloadType());
      digits.addAll(receiver.onPacket(packet.timestamp(), packet.payload()));
    }
    return digits;
  }
}
