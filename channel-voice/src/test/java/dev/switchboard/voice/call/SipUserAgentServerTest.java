package dev.switchboard.voice.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.security.SipAccessPolicy;
import dev.switchboard.voice.security.SourceRateLimiter;
import dev.switchboard.voice.security.TrunkAllowList;
import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParserLimits;
import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.transaction.CapturingOutbound;
import dev.switchboard.voice.transaction.ManualTimers;
import dev.switchboard.voice.transaction.SipPeer;
import dev.switchboard.voice.transaction.TimerValues;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The user agent with a hand-driven clock: behaviour that takes minutes on the wire (session
 * expiry, missing ACKs) checked in milliseconds. The media seam is a recording implementation of
 * {@link CallMediaHandler}, the same way the speech pipeline plugs in.
 */
class SipUserAgentServerTest {
  private final ManualTimers clock = new ManualTimers();
  private final CapturingOutbound out = new CapturingOutbound(clock);
  private final List<String> events = new ArrayList<>();
  private final CallAdmission admission = new CallAdmission(10);
  private final SipMessageParser parser = new SipMessageParser(SipParserLimits.DEFAULT);
  private final SipPeer trunk = SipPeer.udp(new InetSocketAddress("127.0.0.1", 5070));
  private SipUserAgentServer uas = create(false);

  private SipUserAgentServer create(boolean rejectAnonymous) {
    CallMediaHandler recorder =
        new CallMediaHandler() {
          @Override
          public void onCallStarted(CallSession s, CallControl c) {
            events.add("started " + s.media().codec() + " " + s.media().localPort());
          }

          @Override
          public void onMediaChanged(CallSession s) {
            events.add(s.media().onHold() ? "hold" : "resume");
          }

          @Override
          public void onDtmf(CallSession s, DtmfEvent e) {
            events.add("dtmf " + e.digit());
          }

          @Override
          public void onCallEnded(CallSession s, CallEndReason r) {
            events.add("ended " + r);
          }
        };
    UserAgentSettings settings =
        new UserAgentSettings(
            List.of("PCMU", "PCMA"),
            101,
            20,
            "192.0.2.10",
            0,
            30,
            1800,
            90,
            rejectAnonymous,
            Optional.empty(),
            Optional.empty(),
            3600,
            "test");
    return new SipUserAgentServer(
        out,
        clock,
        TimerValues.RFC3261,
        new SipAccessPolicy(
            new TrunkAllowList(Map.of("local", List.of("127.0.0.1"))), Optional.empty()),
        new SourceRateLimiter(100, 100, 100),
        admission,
        new RtpPortAllocator(41000, 41010),
        new CallerIdentityResolver("US"),
        settings,
        recorder,
        new SipStats(),
        Runnable::run);
  }

  private void receive(String text) {
    byte[] b = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    uas.onParseResult(parser.parseDatagram(b), trunk, b.length);
  }

  private static final String SDP =
      "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n";

  private String invite(String extra) {
    String body = SDP.replace("\n", "\r\n");
    return "INVITE sip:+15005550001@192.0.2.10 SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv1;rport\n"
        + "From: <sip:+12125551212@127.0.0.1>;tag=caller\n"
        + "To: <sip:+15005550001@192.0.2.10>\n"
        + "Call-ID: uas-test\nCSeq: 1 INVITE\nContact: <sip:caller@127.0.0.1:5070>\nMax-Forwards: 70\n"
        + extra
        + "Content-Type: application/sdp\nContent-Length: "
        + body.length()
        + "\n\n"
        + SDP;
  }

  private String inDialog(String method, int cseq, String branch, String extra) {
    return method
        + " sip:switchboard@192.0.2.10:5060 SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch="
        + branch
        + "\n"
        + "From: <sip:+12125551212@127.0.0.1>;tag=caller\n"
        + "To: <sip:+15005550001@192.0.2.10>;tag="
        + localTag()
        + "\n"
        + "Call-ID: uas-test\nCSeq: "
        + cseq
        + " "
        + method
        + "\n"
        + extra
        + "Content-Length: 0\n\n";
  }

  private String localTag() {
    SipResponse ok =
        out.sent.stream()
            .filter(s -> s.message() instanceof SipResponse r && r.status() == 200)
            .map(s -> (SipResponse) s.message())
            .findFirst()
            .orElseThrow();
    String to = ok.headers().firstOrNull("To");
    return to.substring(to.indexOf("tag=") + 4);
  }

  /** Requests counted once per transaction (Timer E retransmits unanswered ones on UDP). */
  private static long distinct(List<SipRequest> requests) {
    return requests.stream().map(r -> r.topVia().branch()).distinct().count();
  }

  private void establish(String extra) {
    receive(invite(extra));
    receive(inDialog("ACK", 1, "z9hG4bKack1", ""));
  }

  @Test
  void answersAndStartsMediaOnlyAfterTheAck() {
    receive(invite(""));
    assertEquals(
        List.of(100, 180, 200),
        out.sent.stream().map(s -> ((SipResponse) s.message()).status()).toList());
    assertTrue(events.isEmpty());
    receive(inDialog("ACK", 1, "z9hG4bKack1", ""));
    assertEquals(List.of("started PCMU 41000"), events);
    assertEquals(1, admission.activeCalls());
  }

  @Test
  void missingAckRetransmitsThe200ThenHangsUpWithBye() {
    receive(invite(""));
    clock.advance(40_000);
    List<Long> oks = out.timesOfStatus(200);
    assertEquals(
        List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        oks);
    assertEquals(
        1, distinct(out.requests("BYE")), "RFC 3261 §13.3.1.4: BYE when the ACK never comes");
    assertEquals(List.of("ended ACK_TIMEOUT"), events);
    assertEquals(0, admission.activeCalls());
  }

  @Test
  void sessionNotRefreshedByTheCallerIsEndedBeforeItExpires() {
    establish("Supported: timer\nSession-Expires: 90;refresher=uac\n");
    SipResponse ok =
        (SipResponse)
            out.sent.stream()
                .filter(s -> s.message() instanceof SipResponse r && r.status() == 200)
                .findFirst()
                .orElseThrow()
                .message();
    assertEquals("90;refresher=uac", ok.headers().firstOrNull("Session-Expires"));
    assertEquals("timer", ok.headers().firstOrNull("Require"));
    clock.advance(50_000);
    receive(
        inDialog(
            "UPDATE", 2, "z9hG4bKupd1", "Session-Expires: 90;refresher=uac\nSupported: timer\n"));
    clock.advance(50_000);
    assertTrue(out.requests("BYE").isEmpty(), "refreshed at 50 s, so still alive at 100 s");
    clock.advance(20_000);
    // 90 - min(32, 90/3) = 60 s after the refresh.
    assertEquals(1, distinct(out.requests("BYE")));
    assertTrue(events.contains("ended SESSION_EXPIRED"));
  }

  @Test
  void whenWeAreTheRefresherWeSendUpdateAtHalfTheInterval() {
    establish("Session-Expires: 120;refresher=uas\nSupported: timer\n");
    clock.advance(59_000);
    assertTrue(out.requests("UPDATE").isEmpty());
    clock.advance(2_000);
    List<SipRequest> updates = out.requests("UPDATE");
    assertEquals(1, distinct(updates), "one UPDATE (retransmitted by Timer E while unanswered)");
    assertEquals("120;refresher=uas", updates.get(0).headers().firstOrNull("Session-Expires"));
    assertEquals(
        "<sip:+15005550001@192.0.2.10>;tag=" + localTag(),
        updates.get(0).headers().firstOrNull("From"));
  }

  @Test
  void holdAndResumeReachTheMediaSeam() {
    establish("");
    String hold = SDP.replace("a=rtpmap", "a=sendonly\na=rtpmap").replace("\n", "\r\n");
    String reinvite =
        inDialog(
                "INVITE",
                2,
                "z9hG4bKre1",
                "Contact: <sip:caller@127.0.0.1:5070>\nContent-Type: application/sdp\n")
            .replace(
                "Content-Length: 0\n\n",
                "Content-Length: " + hold.length() + "\n\n" + hold.replace("\r\n", "\n"));
    receive(reinvite);
    assertTrue(
        new String(out.lastResponse().body(), StandardCharsets.UTF_8).contains("a=recvonly"));
    receive(inDialog("ACK", 2, "z9hG4bKack2", ""));
    assertEquals(List.of("started PCMU 41000", "hold"), events);
  }

  @Test
  void requireOfAnExtensionWeLackIs420ButSupported100relIsFine() {
    receive(invite("Require: 100rel\n"));
    SipResponse r = out.lastResponse();
    assertEquals(420, r.status());
    assertEquals("100rel", r.headers().firstOrNull("Unsupported"));
    out.sent.clear();
    receive(
        invite("Supported: 100rel, timer\n")
            .replace("z9hG4bKinv1", "z9hG4bKinv2")
            .replace("uas-test", "uas-test-2"));
    assertEquals(200, out.lastResponse().status());
  }

  @Test
  void anonymousCallersAreRefusedWhenPolicySaysSo() {
    uas = create(true);
    receive(
        invite("")
            .replace(
                "<sip:+12125551212@127.0.0.1>;tag=caller",
                "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=caller"));
    assertEquals(433, out.lastResponse().status());
    assertEquals(0, admission.activeCalls());
  }

  @Test
  void malformedRequestsGet400WithTheReasonAndGarbageIsDropped() {
    receive(invite("").replace("CSeq: 1 INVITE", "CSeq: 1 BYE"));
    SipResponse r = out.lastResponse();
    assertEquals(400, r.status());
    assertEquals("CSeq method does not match request method", r.reason());
    out.sent.clear();
    byte[] junk = "\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1);
    uas.onParseResult(parser.parseDatagram(junk), trunk, junk.length);
    assertTrue(out.sent.isEmpty());
  }

  @Test
  void drainingAnswers503WithRetryAfter() {
    admission.startDraining();
    receive(invite(""));
    SipResponse r = out.lastResponse();
    assertEquals(503, r.status());
    assertNotNull(r.headers().firstOrNull("Retry-After"));
  }

  @Test
  void byeForAnUnknownDialogIs481() {
    out.sent.add(
        new CapturingOutbound.Sent(
            0,
            new SipResponse(
                200,
                "OK",
                new dev.switchboard.voice.sip.SipHeaders().add("To", "<sip:x@y>;tag=nope"),
                null),
            trunk));
    receive(inDialog("BYE", 5, "z9hG4bKbye9", ""));
    assertEquals(481, out.lastResponse().status());
  }

  @Test
  void dtmfInfoBodies() {
    assertEquals(
        '5',
        SipUserAgentServer.parseDtmf("Signal=5\r\nDuration=160\r\n", "application/dtmf-relay")
            .digit());
    assertEquals(
        '#', SipUserAgentServer.parseDtmf("Signal=11\r\n", "application/dtmf-relay").digit());
    assertEquals('*', SipUserAgentServer.parseDtmf("*", "application/dtmf").digit());
    assertEquals(null, SipUserAgentServer.parseDtmf("Signal=Z", "application/dtmf-relay"));
  }
}
