package dev.switchboard.voice.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {
  private final SdpNegotiator pcmuFirst =
      new SdpNegotiator(List.of("PCMU", "PCMA"), 101, 20, "192.0.2.10");

  private static SessionDescription sdp(String body) {
    return SessionDescription.parse(body.replace("\n", "\r\n"));
  }

  private static final String OFFER =
      """
      v=0
      o=- 1 1 IN IP4 198.51.100.7
      s=-
      c=IN IP4 198.51.100.7
      t=0 0
      m=audio 16000 RTP/AVP 8 0 96
      a=rtpmap:96 telephone-event/8000
      a=fmtp:96 0-15
      a=ptime:30
      m=video 17000 RTP/AVP 31
      """;

  @Test
  void choosesOurPreferredCodecKeepsTheirTelephoneEventAndRejectsVideo() {
    var agreed =
        assertInstanceOf(
            SdpNegotiator.Outcome.Agreed.class, pcmuFirst.answer(sdp(OFFER), 41000, 7, 1));
    NegotiatedMedia m = agreed.media();
    assertEquals("198.51.100.7", m.remoteAddress());
    assertEquals(16000, m.remotePort());
    assertEquals(41000, m.localPort());
    assertEquals(0, m.payloadType());
    assertEquals("PCMU", m.codec());
    assertEquals(96, m.telephoneEventPayloadType());
    assertEquals(30, m.ptimeMs());
    assertEquals(MediaDirection.SENDRECV, m.direction());
    String a = agreed.answerSdp();
    assertTrue(a.contains("m=audio 41000 RTP/AVP 0 96\r\n"), a);
    assertTrue(a.contains("a=fmtp:96 0-15\r\n"), a);
    assertTrue(
        a.contains("m=video 0 RTP/AVP 31\r\n"), "extra m-line rejected with port 0, same order");
    assertTrue(a.indexOf("m=audio") < a.indexOf("m=video"));
    assertTrue(a.contains("c=IN IP4 192.0.2.10\r\n"));
  }

  @Test
  void honoursAPcmaPreference() {
    SdpNegotiator pcmaFirst = new SdpNegotiator(List.of("PCMA", "PCMU"), 101, 20, "192.0.2.10");
    var agreed =
        assertInstanceOf(
            SdpNegotiator.Outcome.Agreed.class, pcmaFirst.answer(sdp(OFFER), 41000, 7, 1));
    assertEquals("PCMA", agreed.media().codec());
    assertEquals(8, agreed.media().payloadType());
  }

  @Test
  void noCommonCodecIsNotAcceptable() {
    String g729 = OFFER.replace("RTP/AVP 8 0 96", "RTP/AVP 18 96");
    var na =
        assertInstanceOf(
            SdpNegotiator.Outcome.NotAcceptable.class, pcmuFirst.answer(sdp(g729), 41000, 7, 1));
    assertTrue(na.reason().startsWith("No common codec"));
  }

  @Test
  void mediaLevelConnectionOverridesSessionLevel() {
    String offer = OFFER.replace("a=ptime:30", "c=IN IP4 203.0.113.9\na=ptime:30");
    var agreed =
        assertInstanceOf(
            SdpNegotiator.Outcome.Agreed.class, pcmuFirst.answer(sdp(offer), 41000, 7, 1));
    assertEquals("203.0.113.9", agreed.media().remoteAddress());
  }

  @Test
  void holdOffersAreAnsweredWithTheMatchingDirection() {
    for (String[] pair :
        new String[][] {
          {"sendonly", "recvonly"}, {"inactive", "inactive"}, {"recvonly", "sendonly"}
        }) {
      String offer = OFFER.replace("a=ptime:30", "a=ptime:30\na=" + pair[0]);
      var agreed =
          assertInstanceOf(
              SdpNegotiator.Outcome.Agreed.class, pcmuFirst.answer(sdp(offer), 41000, 7, 2));
      assertTrue(agreed.answerSdp().contains("a=" + pair[1] + "\r\n"), pair[0]);
      assertEquals(!pair[0].equals("recvonly"), agreed.media().onHold(), pair[0]);
    }
  }

  @Test
  void oldStyleHoldWithZeroAddressIsOnHold() {
    var agreed =
        assertInstanceOf(
            SdpNegotiator.Outcome.Agreed.class,
            pcmuFirst.answer(
                sdp(OFFER.replace("c=IN IP4 198.51.100.7", "c=IN IP4 0.0.0.0")), 41000, 7, 2));
    assertTrue(agreed.media().onHold());
  }

  @Test
  void ourOfferAndReadingTheAnswer() {
    String offer = pcmuFirst.offer(41002, 9, 1);
    assertTrue(offer.contains("m=audio 41002 RTP/AVP 0 8 101\r\n"), offer);
    assertTrue(offer.contains("a=fmtp:101 0-16\r\n"));
    String answer =
        "v=0\no=- 2 2 IN IP4 198.51.100.8\ns=-\nc=IN IP4 198.51.100.8\nt=0 0\nm=audio 18000 RTP/AVP 8 101\na=rtpmap:101 telephone-event/8000\n";
    var agreed =
        assertInstanceOf(
            SdpNegotiator.Outcome.Agreed.class, pcmuFirst.readAnswer(sdp(answer), 41002));
    assertEquals("PCMA", agreed.media().codec());
    assertEquals(18000, agreed.media().remotePort());
  }

  @Test
  void malformedSdpIsAProtocolError() {
    assertThrows(SdpProtocolException.class, () -> sdp("hello"));
    assertThrows(SdpProtocolException.class, () -> sdp("v=0\no=x\nm=audio 99999 RTP/AVP 0\n"));
    assertThrows(SdpProtocolException.class, () -> sdp("v=0\no=x\nc=IN IP4\n"));
    assertThrows(SdpProtocolException.class, () -> sdp("v=0\nm=audio 1 RTP/AVP 0\n"));
  }
}
