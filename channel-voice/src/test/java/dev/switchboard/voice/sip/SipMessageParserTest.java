package dev.switchboard.voice.sip;

import static dev.switchboard.voice.sip.SipFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipParseResult.Malformed;
import dev.switchboard.voice.sip.SipParseResult.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageParserTest {
  private final SipMessageParser parser = new SipMessageParser(SipParserLimits.DEFAULT);

  private SipRequest request(byte[] data) {
    SipParseResult r = parser.parseDatagram(data);
    Parsed p = assertInstanceOf(Parsed.class, r, () -> "expected Parsed but got " + r);
    return assertInstanceOf(SipRequest.class, p.message());
  }

  private Malformed malformed(byte[] data) {
    SipParseResult r = parser.parseDatagram(data);
    return assertInstanceOf(Malformed.class, r, () -> "expected Malformed but got " + r);
  }

  @Test
  void parsesTheRfc3261InviteWithItsSdpBody() {
    SipRequest req = request(SipFixtures.rfc3261Invite());
    assertEquals("INVITE", req.method());
    assertEquals("sip:bob@biloxi.example.com", req.uri());
    assertEquals("3848276298220188511@atlanta.example.com", req.callId());
    assertEquals(new CSeq(1, "INVITE"), req.cseq());
    assertEquals("z9hG4bK74bf9", req.topVia().branch());
    assertEquals("9fxced76sl", NameAddress.parse(req.headers().firstOrNull("From")).tag());
    assertEquals("application/sdp", req.contentType());
    assertTrue(req.bodyText().startsWith("v=0\r\n"));
    assertTrue(req.bodyText().contains("m=audio 49172 RTP/AVP 0 8 101"));
  }

  @Test
  void parsesRfc4475WhitespaceTortureMessage() {
    SipRequest req = request(SipFixtures.wsinv());
    // Case-insensitive names, compact forms, folded lines and whitespace everywhere.
    NameAddress to = NameAddress.parse(req.headers().firstOrNull("to"));
    assertEquals("1918181833n", to.tag());
    NameAddress from = NameAddress.parse(req.headers().firstOrNull("From"));
    assertEquals("J Rosenberg \\\"", from.displayName());
    assertEquals("98asjd8", from.tag());
    assertEquals("0068", req.headers().firstOrNull("Max-Forwards"));
    assertEquals(new CSeq(9, "INVITE"), req.cseq());
    assertEquals(
        "newfangled value continued newfangled value",
        req.headers().firstOrNull("NewFangledHeader"));
    assertEquals("", req.headers().firstOrNull("Subject"));
    List<String> vias = req.headers().values("Via");
    assertEquals(3, vias.size());
    Via top = Via.parse(vias.get(0));
    assertEquals("UDP", top.transport());
    assertEquals("192.0.2.2", top.host());
    assertEquals("390skdjuw", top.branch());
    assertEquals("TCP", Via.parse(vias.get(1)).transport());
    assertEquals("z9hG4bK30239", Via.parse(vias.get(2)).branch());
    NameAddress contact = NameAddress.parse(req.headers().firstOrNull("Contact"));
    assertEquals("Quoted string \"\"", contact.displayName());
    assertEquals("newvalue", contact.params().get("newparam"));
    assertEquals("0.33", contact.params().get("q"));
    assertTrue(contact.params().has("secondparam"));
    assertTrue(req.bodyText().contains("a=rtpmap:31 LPC"));
  }

  @Test
  void parsesRfc4475UnusualCharactersAndUnknownMethod() {
    SipRequest req = request(bytes(SipFixtures.INTMETH));
    assertEquals("!interesting-Method0123456789_*+`.%indeed'~", req.method());
    assertEquals("139122385", Long.toString(req.cseq().number()));
    assertEquals(
        "\u5927\u505C\u96FB".length(),
        req.headers().firstOrNull("extensionHeader-!.%*+_`'~").length() - 1);
  }

  @Test
  void decodesEscapedUriParts() {
    SipRequest req = request(bytes(SipFixtures.ESC01));
    SipUri ruri = SipUri.parse(req.uri());
    assertEquals("sips:user@example.com", ruri.userUnescaped());
    assertEquals("example.net", ruri.host());
    assertEquals("user", NameAddress.parse(req.headers().firstOrNull("To")).uri().userUnescaped());
    assertEquals(
        "I have spaces",
        NameAddress.parse(req.headers().firstOrNull("From")).uri().userUnescaped());
    assertEquals("application/sdp", req.contentType());
  }

  @Test
  void splitsCommaSeparatedValuesButNotInsideQuotesOrBrackets() {
    String extra =
        "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\n"
            + "Route: <sip:p3.example.com;lr>\n"
            + "Supported: timer, 100rel,replaces\n"
            + "P-Asserted-Identity: \"Doe, John\" <sip:+12125551212@example.com>, <tel:+12125551212>\n";
    SipRequest req = request(bytes(SipFixtures.options(extra)));
    assertEquals(3, req.headers().values("Route").size());
    assertEquals("<sip:p2.example.com;lr>", req.headers().values("Route").get(1));
    assertTrue(req.headers().hasOption("Supported", "100REL"));
    List<String> pai = req.headers().values("P-Asserted-Identity");
    assertEquals(2, pai.size());
    assertEquals("Doe, John", NameAddress.parse(pai.get(0)).displayName());
  }

  @Test
  void acceptsBareLineFeedsAndLeadingEmptyLines() {
    byte[] lf = ("\r\n\r\n" + SipFixtures.options("")).getBytes(StandardCharsets.UTF_8);
    assertEquals("OPTIONS", request(lf).method());
  }

  @Test
  void datagramBodyIsTruncatedToContentLengthAndDefaultsToTheRest() {
    String base = SipFixtures.options("").replace("Content-Length: 0\n", "");
    SipRequest noLength = request(bytes(base + "hello"));
    assertEquals("hello", noLength.bodyText());
    SipRequest shorter =
        request(
            bytes(
                SipFixtures.options("").replace("Content-Length: 0", "Content-Length: 2")
                    + "hello"));
    assertEquals("he", shorter.bodyText());
  }

  @Test
  void parsesResponses() {
    String resp =
        """
        SIP/2.0 180 Ringing
        Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101
        From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
        To: Bob <sip:bob@biloxi.example.com>;tag=8321234356
        Call-ID: 3848276298220188511@atlanta.example.com
        CSeq: 1 INVITE
        Content-Length: 0

        """;
    Parsed p = assertInstanceOf(Parsed.class, parser.parseDatagram(bytes(resp)));
    SipResponse r = assertInstanceOf(SipResponse.class, p.message());
    assertEquals(180, r.status());
    assertEquals("Ringing", r.reason());
  }

  // ---- RFC 4475 §3.1.2 invalid messages and our own hostile inputs ----

  @Test
  void contentLengthLargerThanTheDatagramIs400WithAnAddressableRequest() {
    Malformed m =
        malformed(
            bytes(SipFixtures.options("").replace("Content-Length: 0", "Content-Length: 9999")));
    assertEquals(400, m.status());
    assertEquals("Content-Length exceeds message", m.reason());
    assertNotNull(m.partial(), "a 400 can be sent");
  }

  @Test
  void negativeOrHugeNumbersAre400() {
    assertEquals(
        "Invalid Content-Length",
        malformed(
                bytes(SipFixtures.options("").replace("Content-Length: 0", "Content-Length: -999")))
            .reason());
    assertEquals(
        400,
        malformed(
                bytes(
                    SipFixtures.options("")
                        .replace("63104 OPTIONS", "36893488147419103232 OPTIONS")))
            .status());
    assertEquals(
        "Invalid Max-Forwards",
        malformed(bytes(SipFixtures.options("").replace("Max-Forwards: 70", "Max-Forwards: 300")))
            .reason());
  }

  @Test
  void unterminatedQuoteIs400() {
    Malformed m = malformed(bytes(SipFixtures.options("").replace("From: Alice", "From: \"Alice")));
    assertEquals(400, m.status());
  }

  @Test
  void requestUriWithAngleBracketsOrWhitespaceIs400() {
    Malformed a =
        malformed(
            bytes(
                SipFixtures.options("")
                    .replace(
                        "OPTIONS sip:carol@chicago.example.com",
                        "OPTIONS <sip:carol@chicago.example.com>")));
    assertEquals("Invalid Request-URI", a.reason());
    assertNotNull(a.partial());
    Malformed b =
        malformed(
            bytes(
                SipFixtures.options("")
                    .replace(
                        "sip:carol@chicago.example.com SIP",
                        "sip:carol@chicago.example.com ;lr SIP")));
    assertEquals(400, b.status());
  }

  @Test
  void extraSpacesInTheRequestLineAre400() {
    assertEquals(
        "Malformed request line",
        malformed(bytes(SipFixtures.options("").replace("OPTIONS sip", "OPTIONS  sip"))).reason());
    assertEquals(
        "Malformed request line",
        malformed(bytes(SipFixtures.options("").replace("SIP/2.0\nVia", "SIP/2.0 \nVia")))
            .reason());
  }

  @Test
  void unknownVersionIs505() {
    assertEquals(
        505,
        malformed(bytes(SipFixtures.options("").replaceFirst("SIP/2.0\n", "SIP/7.0\n"))).status());
  }

  @Test
  void cseqMethodMismatchIs400() {
    assertEquals(
        "CSeq method does not match request method",
        malformed(bytes(SipFixtures.options("").replace("63104 OPTIONS", "63104 INVITE")))
            .reason());
  }

  @Test
  void missingMandatoryHeadersAre400() {
    assertEquals(
        "Missing Call-ID",
        malformed(bytes(SipFixtures.options("").replace("Call-ID: a84b4c76e66710\n", "")))
            .reason()
            .replace(" or invalid", ""));
    Malformed noVia = malformed(bytes(SipFixtures.options("").replaceFirst("Via: [^\n]*\n", "")));
    assertEquals("Missing Via", noVia.reason());
  }

  @Test
  void duplicateSingleValueHeadersAre400() {
    assertEquals(
        "Duplicate From header",
        malformed(bytes(SipFixtures.options("From: <sip:mallory@example.com>;tag=1\n"))).reason());
  }

  @Test
  void badEscapesInUrisAre400() {
    assertEquals(
        400,
        malformed(bytes(SipFixtures.options("").replace("To: <sip:carol@", "To: <sip:ca%zzrol@")))
            .status());
  }

  @Test
  void enforcesItsLimits() {
    SipMessageParser small = new SipMessageParser(new SipParserLimits(1024, 12, 100));
    assertEquals(
        "Line too long",
        assertInstanceOf(
                Malformed.class,
                small.parseDatagram(
                    bytes(SipFixtures.options("X-Long: " + "a".repeat(200) + "\n"))))
            .reason());
    assertEquals(
        "Too many headers",
        assertInstanceOf(
                Malformed.class,
                small.parseDatagram(bytes(SipFixtures.options("A: 1\nB: 2\nC: 3\nD: 4\n"))))
            .reason());
    assertEquals(
        513,
        assertInstanceOf(
                Malformed.class,
                small.parseDatagram(bytes(SipFixtures.options("") + "x".repeat(2000))))
            .status());
    assertEquals(
        "Folded header too long",
        assertInstanceOf(
                Malformed.class,
                small.parseDatagram(
                    bytes(
                        SipFixtures.options(
                            "X-F: a\n " + "b".repeat(60) + "\n " + "c".repeat(60) + "\n"))))
            .reason());
  }

  @Test
  void garbageIsACountedDropNotAnException() {
    for (String junk :
        new String[] {
          "",
          "\r\n\r\n",
          "hello",
          "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
          "\u0000\u0001\u0002",
          "SIP/2.0 99 Nope\r\n\r\n"
        }) {
      Malformed m = malformed(junk.getBytes(StandardCharsets.ISO_8859_1));
      assertNull(m.partial(), junk);
    }
  }

  @Test
  void continuationBeforeAnyHeaderAndNulBytesAre400() {
    assertEquals(
        "Continuation line before any header",
        malformed(bytes(SipFixtures.options("").replace("SIP/2.0\nVia", "SIP/2.0\n folded\nVia")))
            .reason());
    assertEquals(
        "Control character in header section",
        malformed(bytes(SipFixtures.options("X-Nul: a\u0000b\n"))).reason());
  }
}
