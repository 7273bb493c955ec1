package dev.switchboard.voice.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.security.SipAccessPolicy;
import dev.switchboard.voice.security.SourceRateLimiter;
import dev.switchboard.voice.security.TrunkAllowList;
import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParserLimits;
import dev.switchboard.voice.testsupport.RecordingSpanExporter;
import dev.switchboard.voice.transaction.CapturingOutbound;
import dev.switchboard.voice.transaction.ManualTimers;
import dev.switchboard.voice.transaction.SipPeer;
import dev.switchboard.voice.transaction.TimerValues;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The INVITE's server span, with a real OpenTelemetry SDK recording what it exports: one span per
 * new call, ended with the call's fate, handed to the media side when the call starts (so the
 * {@code call_started} it publishes joins the trace), and free of the caller's number.
 */
class InviteTracingTest {
  private static final String CALLER = "12125551212";

  private final ManualTimers clock = new ManualTimers();
  private final CapturingOutbound out = new CapturingOutbound(clock);
  private final SipMessageParser parser = new SipMessageParser(SipParserLimits.DEFAULT);
  private final RecordingSpanExporter exporter = new RecordingSpanExporter();
  private final List<SpanContext> currentAtCallStart = new ArrayList<>();
  private final SipUserAgentServer uas = create();

  private SipUserAgentServer create() {
    CallMediaHandler recorder =
        new CallMediaHandler() {
          @Override
          public void onCallStarted(CallSession s, CallControl c) {
            currentAtCallStart.add(SpanContext.getInvalid());
          }

          @Override
          public void onCallStarted(CallSession s, CallControl c, Context trace) {
            currentAtCallStart.add(Span.fromContext(trace).getSpanContext());
          }

          @Override
          public void onMediaChanged(CallSession s) {}

          @Override
          public void onDtmf(CallSession s, DtmfEvent e) {}

          @Override
          public void onCallEnded(CallSession s, CallEndReason r) {}
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
            false,
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
        new CallAdmission(10),
        new RtpPortAllocator(41000, 41010),
        new CallerIdentityResolver("US"),
        settings,
        recorder,
        new SipStats(),
        Runnable::run,
        new InviteTracing(
            RecordingSpanExporter.sdk(exporter).getTracer(InviteTracing.INSTRUMENTATION)));
  }

  @Test
  void anEstablishedCallIsOneServerSpanCurrentWhileTheCallStarts() {
    receive(invite("uas-trace-1", "127.0.0.1", "m=audio 40000 RTP/AVP 0 101"));
    assertTrue(exporter.spans().isEmpty(), "the span stays open until the call is established");
    receive(ack("uas-trace-1"));

    SpanData span = single();
    assertEquals(SpanKind.SERVER, span.getKind());
    assertFalse(span.getParentSpanContext().isValid(), "a new call starts a new trace");
    assertEquals("INVITE", span.getAttributes().get(InviteTracing.SIP_METHOD));
    assertEquals(200L, span.getAttributes().get(InviteTracing.STATUS_CODE));
    assertEquals("established", span.getAttributes().get(InviteTracing.OUTCOME));
    assertEquals("udp", span.getAttributes().get(InviteTracing.TRANSPORT));
    assertEquals("local", span.getAttributes().get(InviteTracing.TRUNK));
    assertEquals(
        InviteTracing.hashCallId("uas-trace-1"),
        span.getAttributes().get(InviteTracing.CALL_ID_HASH));
    assertNotEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertTrue(span.getEvents().stream().anyMatch(e -> e.getName().equals("answered")));
    assertEquals(
        List.of(span.getSpanContext()),
        currentAtCallStart,
        "the media side starts the call (and publishes call_started) in the INVITE's trace");
    assertNoPersonalData(span);
  }

  @Test
  void anInviteWithNoCommonCodecEndsItsSpanWithThe488() {
    receive(invite("uas-trace-2", "127.0.0.1", "m=audio 40000 RTP/AVP 18"));
    SpanData span = single();
    assertEquals(488L, span.getAttributes().get(InviteTracing.STATUS_CODE));
    assertEquals("refused", span.getAttributes().get(InviteTracing.OUTCOME));
    assertTrue(currentAtCallStart.isEmpty());
    assertNoPersonalData(span);
  }

  @Test
  void anInviteFromAnUnknownSourceIsTracedAsRefusedWith403() {
    byte[] b = bytes(invite("uas-trace-3", "198.51.100.7", "m=audio 40000 RTP/AVP 0"));
    uas.onParseResult(
        parser.parseDatagram(b),
        SipPeer.udp(new InetSocketAddress("198.51.100.7", 5070)),
        b.length);
    SpanData span = single();
    assertEquals(403L, span.getAttributes().get(InviteTracing.STATUS_CODE));
    assertEquals("refused", span.getAttributes().get(InviteTracing.OUTCOME));
    assertNoPersonalData(span);
  }

  @Test
  void aCallWhoseAckNeverComesEndsItsSpanAsAnError() {
    receive(invite("uas-trace-4", "127.0.0.1", "m=audio 40000 RTP/AVP 0 101"));
    clock.advance(40_000);
    SpanData span = single();
    assertEquals("ack_timeout", span.getAttributes().get(InviteTracing.OUTCOME));
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertTrue(currentAtCallStart.isEmpty());
  }

  @Test
  void aRetransmittedInviteMakesNoSecondSpan() {
    String invite = invite("uas-trace-5", "127.0.0.1", "m=audio 40000 RTP/AVP 0 101");
    receive(invite);
    receive(invite);
    receive(ack("uas-trace-5"));
    assertEquals(1, exporter.spans().size(), () -> "spans: " + exporter.spans());
  }

  private SpanData single() {
    List<SpanData> spans = exporter.named(InviteTracing.SPAN_NAME);
    assertEquals(1, spans.size(), () -> "INVITE spans: " + exporter.spans());
    return spans.get(0);
  }

  private static void assertNoPersonalData(SpanData span) {
    String everything = span.getName() + span.getAttributes() + span.getEvents();
    assertFalse(everything.contains(CALLER), "caller's number in the span: " + everything);
  }

  private void receive(String text) {
    byte[] b = bytes(text);
    uas.onParseResult(
        parser.parseDatagram(b), SipPeer.udp(new InetSocketAddress("127.0.0.1", 5070)), b.length);
  }

  private static byte[] bytes(String text) {
    return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String invite(String callId, String host, String mediaLine) {
    String sdp =
        ("v=0\no=- 1 1 IN IP4 " + host + "\ns=-\nc=IN IP4 " + host + "\nt=0 0\n" + mediaLine + "\n")
            .replace("\n", "\r\n");
    return "INVITE sip:+15005550001@192.0.2.10 SIP/2.0\n"
        + "Via: SIP/2.0/UDP "
        + host
        + ":5070;branch=z9hG4bK"
        + callId
        + ";rport\n"
        + "From: <sip:+"
        + CALLER
        + "@"
        + host
        + ">;tag=caller\n"
        + "To: <sip:+15005550001@192.0.2.10>\n"
        + "Call-ID: "
        + callId
        + "\nCSeq: 1 INVITE\nContact: <sip:caller@"
        + host
        + ":5070>\nMax-Forwards: 70\n"
        + "Content-Type: application/sdp\nContent-Length: "
        + sdp.length()
        + "\n\n"
        + sdp.replace("\r\n", "\n");
  }

  private String ack(String callId) {
    String ok =
        out.sent.stream()
            .filter(
                s ->
                    s.message() instanceof dev.switchboard.voice.sip.SipResponse r
                        && r.status() == 200)
            .map(
                s ->
                    ((dev.switchboard.voice.sip.SipResponse) s.message())
                        .headers()
                        .firstOrNull("To"))
            .findFirst()
            .orElseThrow();
    return "ACK sip:switchboard@192.0.2.10:5060 SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKack"
        + callId
        + "\n"
        + "From: <sip:+"
        + CALLER
        + "@127.0.0.1>;tag=caller\n"
        + "To: "
        + ok
        + "\n"
        + "Call-ID: "
        + callId
        + "\nCSeq: 1 ACK\nContent-Length: 0\n\n";
  }
}
