package dev.switchboard.voice.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipParseResult.Malformed;
import dev.switchboard.voice.sip.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property test: random mutations of valid messages never make the parser or the stream decoder
 * throw, and nothing they accept exceeds the configured limits. Seeds are fixed so a failure
 * reproduces; the failing seed and input are in the assertion message.
 */
class SipParserFuzzTest {
  private static final SipParserLimits LIMITS = new SipParserLimits(2048, 24, 256);
  private static final byte[][] SEEDS = {
    SipFixtures.rfc3261Invite(),
    SipFixtures.wsinv(),
    SipFixtures.bytes(SipFixtures.ESC01),
    SipFixtures.bytes(SipFixtures.options("Supported: timer, 100rel\n")),
  };
  private static final String[] TOKENS = {
    "\r\n",
    "\n",
    " ",
    "\t",
    ":",
    ";",
    ",",
    "\"",
    "\\",
    "<",
    ">",
    "%",
    "%0",
    "=",
    "/",
    "@",
    "Content-Length: ",
    "l: 99999999999",
    "v: SIP/2.0/UDP",
    "CSeq: 1 BYE",
    "\r\n ",
    "\u0000",
    "\u00ff",
    "SIP/2.0",
  };

  @Test
  void randomMutationsNeverThrowAndNeverExceedLimits() {
    SipMessageParser parser = new SipMessageParser(LIMITS);
    Random random = new Random(0x5eed);
    int parsed = 0;
    for (int iteration = 0; iteration < 8_000; iteration++) {
      byte[] input = mutate(SEEDS[random.nextInt(SEEDS.length)], random);
      SipParseResult r;
      try {
        r = parser.parseDatagram(input);
      } catch (Throwable t) {
        throw new AssertionError(
            "parser threw on iteration " + iteration + ": " + printable(input), t);
      }
      if (r instanceof Parsed p) {
        parsed++;
        assertWithinLimits(p.message(), input);
        exerciseAccessors(p.message(), input);
      } else {
        Malformed m = (Malformed) r;
        assertTrue(m.status() == 400 || m.status() == 505 || m.status() == 513, m.toString());
      }
      feedStream(parser, input, random);
    }
    assertTrue(parsed > 100, "mutations should still produce some valid messages: " + parsed);
  }

  private static void feedStream(SipMessageParser parser, byte[] input, Random random) {
    SipStreamDecoder d = new SipStreamDecoder(parser);
    try {
      int i = 0;
      while (i < input.length) {
        int n = 1 + random.nextInt(64);
        n = Math.min(n, input.length - i);
        for (SipParseResult r : d.feed(input, i, n)) {
          if (r instanceof Parsed p) {
            assertWithinLimits(p.message(), input);
          }
        }
        i += n;
      }
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("stream decoder threw on: " + printable(input), t);
    }
  }

  private static void assertWithinLimits(SipMessage m, byte[] input) {
    assertTrue(
        m.headers().size() <= LIMITS.maxHeaders(), () -> "too many headers: " + printable(input));
    for (SipHeaders.Field f : m.headers().fields()) {
      assertTrue(
          f.value().length() <= LIMITS.maxLineLength(), () -> "line too long: " + printable(input));
    }
    assertTrue(
        m.body().length <= LIMITS.maxMessageBytes(), () -> "body too long: " + printable(input));
  }

  /** What the user agent reads from every accepted request must not throw either. */
  private static void exerciseAccessors(SipMessage m, byte[] input) {
    try {
      m.callId();
      m.cseq();
      m.topVia().branch();
      NameAddress.parse(m.headers().firstOrNull("From")).tag();
      NameAddress.parse(m.headers().firstOrNull("To")).tag();
      SipSerializer.encode(m);
    } catch (Throwable t) {
      throw new AssertionError("accessor threw on accepted input: " + printable(input), t);
    }
  }

  static byte[] mutate(byte[] seed, Random random) {
    List<Byte> b = new ArrayList<>(seed.length + 16);
    for (byte x : seed) {
      b.add(x);
    }
    int edits = 1 + random.nextInt(6);
    for (int e = 0; e < edits && !b.isEmpty(); e++) {
      int pos = random.nextInt(b.size());
      switch (random.nextInt(6)) {
        case 0 -> b.set(pos, (byte) random.nextInt(256));
        case 1 -> b.remove(pos);
        case 2 -> {
          byte[] t = TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
          for (int i = t.length - 1; i >= 0; i--) {
            b.add(pos, t[i]);
          }
        }
        case 3 -> {
          int len = Math.min(b.size() - pos, 1 + random.nextInt(40));
          for (int i = 0; i < len; i++) {
            b.remove(pos);
          }
        }
        case 4 -> {
          // Duplicate a slice: repeated headers, longer lines, bigger messages.
          int len = Math.min(b.size() - pos, 1 + random.nextInt(300));
          List<Byte> slice = new ArrayList<>(b.subList(pos, pos + len));
          b.addAll(pos, slice);
        }
        default -> b.subList(pos, b.size()).clear();
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static String printable(byte[] input) {
    return new String(input, StandardCharsets.ISO_8859_1)
        .replace("\r", "\\r")
        .replace("\n", "\\n\n");
  }
}
