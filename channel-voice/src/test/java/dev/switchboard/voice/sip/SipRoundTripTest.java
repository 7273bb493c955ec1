package dev.switchboard.voice.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipParseResult.Malformed;
import dev.switchboard.voice.sip.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipRoundTripTest {
  private final SipMessageParser parser = new SipMessageParser(SipParserLimits.DEFAULT);

  @Test
  void serializedTortureMessageParsesToTheSameHeadersAndBody() {
    SipRequest original =
        (SipRequest) ((Parsed) parser.parseDatagram(SipFixtures.wsinv())).message();
    byte[] wire = SipSerializer.encode(original);
    String text = new String(wire, StandardCharsets.UTF_8);
    assertTrue(text.contains("\r\nCall-ID: wsinv.ndaksdj@192.0.2.1\r\n"), "canonical names");
    assertTrue(text.contains("\r\nContact: "), "compact form expanded");
    SipRequest again = (SipRequest) ((Parsed) parser.parseDatagram(wire)).message();
    assertEquals(
        original.headers().copy().remove("Content-Length").fields(),
        again.headers().copy().remove("Content-Length").fields());
    assertEquals(
        original.headers().firstOrNull("Content-Length"), again.headers().firstOrNull("l"));
    assertArrayEquals(original.body(), again.body());
  }

  @Test
  void serializerNeverLetsAValueInjectAHeader() {
    SipHeaders h = new SipHeaders().add("Subject", "hi\r\nVia: SIP/2.0/UDP evil");
    String text = SipSerializer.encodeToString(new SipResponse(200, "OK\r\nX: y", h, null));
    assertFalse(text.contains("\r\nVia:"));
    assertFalse(text.contains("\r\nX: y"));
  }

  @Test
  void streamDecoderFramesByContentLengthAcrossArbitrarySplits() {
    byte[] one = SipFixtures.rfc3261Invite();
    byte[] two = SipFixtures.bytes(SipFixtures.options(""));
    byte[] stream = concat("\r\n\r\n".getBytes(), one, two, "\r\n".getBytes(), one);
    for (int chunk : new int[] {1, 7, 100, stream.length}) {
      SipStreamDecoder d = new SipStreamDecoder(parser);
      List<SipParseResult> results = new ArrayList<>();
      for (int i = 0; i < stream.length; i += chunk) {
        results.addAll(d.feed(stream, i, Math.min(chunk, stream.length - i)));
      }
      assertEquals(3, results.size(), "chunk " + chunk);
      assertEquals("INVITE", ((SipRequest) ((Parsed) results.get(0)).message()).method());
      assertEquals("OPTIONS", ((SipRequest) ((Parsed) results.get(1)).message()).method());
      assertEquals(
          SipFixtures.SDP_OFFER.replace("\n", "\r\n"),
          ((Parsed) results.get(2)).message().bodyText());
    }
  }

  @Test
  void streamWithoutContentLengthGets400ButKeepsTheConnection() {
    SipStreamDecoder d = new SipStreamDecoder(parser);
    byte[] noLength = SipFixtures.bytes(SipFixtures.options("").replace("Content-Length: 0\n", ""));
    List<SipParseResult> r = d.feed(noLength, 0, noLength.length);
    Malformed m = assertInstanceOf(Malformed.class, r.get(0));
    assertEquals("Content-Length required on stream transports", m.reason());
    assertFalse(m.fatal());
    byte[] ok = SipFixtures.bytes(SipFixtures.options(""));
    assertInstanceOf(Parsed.class, d.feed(ok, 0, ok.length).get(0));
  }

  @Test
  void streamWithBrokenContentLengthIsFatal() {
    SipStreamDecoder d = new SipStreamDecoder(parser);
    byte[] bad =
        SipFixtures.bytes(
            SipFixtures.options("").replace("Content-Length: 0", "Content-Length: zz"));
    Malformed m = assertInstanceOf(Malformed.class, d.feed(bad, 0, bad.length).get(0));
    assertTrue(m.fatal());
    assertTrue(d.isBroken());
  }

  @Test
  void streamRejectsAnEndlessHeaderSection() {
    SipStreamDecoder d =
        new SipStreamDecoder(new SipMessageParser(new SipParserLimits(4096, 32, 1024)));
    byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes();
    List<SipParseResult> results = new ArrayList<>();
    for (int i = 0; i < 200 && results.isEmpty(); i++) {
      results.addAll(d.feed(line, 0, line.length));
    }
    assertEquals(513, assertInstanceOf(Malformed.class, results.get(0)).status());
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
