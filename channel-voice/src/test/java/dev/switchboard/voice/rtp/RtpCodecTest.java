package dev.switchboard.voice.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpCodecTest {

  private final RtpParser parser = new RtpParser();

  @Test
  void parsesAHandWrittenPcmuPacket() {
    // V=2, no P/X, CC=0 | M=1, PT=0 | seq 0x1234 | ts 0xDEADBEEF | SSRC 0x01020304 | 3 payload
    // bytes
    byte[] datagram = HexFormat.of().parseHex("80801234deadbeef01020304fffe7f");

    RtpPacket packet = parsed(parser.parse(datagram));

    assertTrue(packet.marker());
    assertEquals(0, packet.payloadType());
    assertEquals(0x1234, packet.sequenceNumber());
    assertEquals(0xDEADBEEFL, packet.timestamp());
    assertEquals(0x01020304L, packet.ssrc());
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x7F}, packet.payload());
    assertEquals(0, packet.csrcs().length);
    assertNull(packet.extension());
  }

  @Test
  void roundTripsCsrcsExtensionAndPaddingWithUnsignedFieldsAtTheirMaximum() {
    RtpPacket original =
        new RtpPacket(
            false,
            127,
            65535,
            0xFFFFFFFFL,
            0xFFFFFFFFL,
            new long[] {1, 0xFFFFFFFFL},
            new RtpHeaderExtension(0xBEDE, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
            new byte[] {9, 8, 7},
            5);
    byte[] datagram = RtpSerializer.serialize(original);

    assertEquals(12 + 8 + 4 + 8 + 3 + 5, datagram.length);
    assertEquals((byte) 0xB2, datagram[0], "V=2, P, X, CC=2");
    assertEquals(5, datagram[datagram.length - 1], "last octet is the padding count");
    assertEquals(original, parsed(parser.parse(datagram)));
  }

  @Test
  void parsesFromAnOffsetInsideALargerBuffer() {
    byte[] packet = RtpSerializer.serialize(RtpPacket.of(false, 8, 7, 160, 42, new byte[160]));
    byte[] buffer = new byte[packet.length + 20];
    System.arraycopy(packet, 0, buffer, 10, packet.length);

    RtpPacket parsed = parsed(parser.parse(buffer, 10, packet.length));

    assertEquals(8, parsed.payloadType());
    assertEquals(160, parsed.payload().length);
  }

  @Test
  void malformedDatagramsAreCountedDropsNotExceptions() {
    assertDropped("80001234deadbeef010203", RtpDropReason.TOO_SHORT);
    assertDropped("40001234deadbeef01020304ff", RtpDropReason.BAD_VERSION);
    assertDropped("83001234deadbeef01020304aaaaaaaa", RtpDropReason.CSRC_OVERRUN);
    assertDropped("90001234deadbeef01020304bede", RtpDropReason.EXTENSION_OVERRUN);
    assertDropped("90001234deadbeef01020304bede0002aaaaaaaa", RtpDropReason.EXTENSION_OVERRUN);
    assertDropped("a0001234deadbeef01020304ff00", RtpDropReason.BAD_PADDING);
    assertDropped("a0001234deadbeef01020304ff09", RtpDropReason.BAD_PADDING);
    assertDropped("80c81234deadbeef01020304", RtpDropReason.RTCP_ON_RTP_PORT);

    assertEquals(2, parser.dropCount(RtpDropReason.EXTENSION_OVERRUN));
    assertEquals(2, parser.dropCount(RtpDropReason.BAD_PADDING));
    assertEquals(1, parser.dropCount(RtpDropReason.TOO_SHORT));
    assertEquals(0, parser.dropCount(RtpDropReason.TOO_LONG));
  }

  @Test
  void oversizedDatagramsAreDroppedNotTruncated() {
    RtpParser small = new RtpParser(100);
    byte[] big = RtpSerializer.serialize(RtpPacket.of(false, 0, 1, 1, 1, new byte[200]));

    RtpParseResult result = small.parse(big);

    assertEquals(
        RtpDropReason.TOO_LONG, assertInstanceOf(RtpParseResult.Dropped.class, result).reason());
    assertEquals(1, small.dropCount(RtpDropReason.TOO_LONG));
  }

  @Test
  void randomBytesNeverThrowAndEveryDropIsCounted() {
    Random random = new Random(3550);
    long dropped = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      if (parser.parse(junk) instanceof RtpParseResult.Dropped) {
        dropped++;
      }
    }
    long counted = parser.dropCounts().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(dropped, counted);
    assertTrue(dropped > 10_000, "most random junk is not RTP");
  }

  @Test
  void serializerRejectsFieldsThatDoNotFitTheWireFormat() {
    assertThrows(
        RtpException.class,
        () -> RtpSerializer.serialize(RtpPacket.of(false, 128, 0, 0, 0, new byte[0])));
    assertThrows(
        RtpException.class,
        () -> RtpSerializer.serialize(RtpPacket.of(false, 0, 65536, 0, 0, new byte[0])));
    assertThrows(
        RtpException.class,
        () -> RtpSerializer.serialize(RtpPacket.of(false, 0, 0, 1L << 32, 0, new byte[0])));
  }

  @Test
  void equalPacketsCompareByContent() {
    RtpPacket a = RtpPacket.of(true, 0, 1, 2, 3, new byte[] {1});
    RtpPacket b = RtpPacket.of(true, 0, 1, 2, 3, new byte[] {1});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertFalse(a.equals(RtpPacket.of(true, 0, 1, 2, 3, new byte[] {2})));
  }

  private void assertDropped(String hex, RtpDropReason reason) {
    RtpParseResult result = parser.parse(HexFormat.of().parseHex(hex));
    assertEquals(reason, assertInstanceOf(RtpParseResult.Dropped.class, result).reason(), hex);
  }

  private static RtpPacket parsed(RtpParseResult result) {
    return assertInstanceOf(RtpParseResult.Parsed.class, result).packet();
  }
}
