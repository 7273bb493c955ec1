package dev.switchboard.voice.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipMessageParser;
import dev.switchboard.voice.sip.SipParseResult;
import dev.switchboard.voice.sip.SipParserLimits;
import dev.switchboard.voice.sip.SipRequest;
import dev.switchboard.voice.sip.SipResponse;
import dev.switchboard.voice.sip.SipResponses;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionLayerTest {
  private final ManualTimers clock = new ManualTimers();
  private final CapturingOutbound out = new CapturingOutbound(clock);
  private final List<InviteServerTransaction> ackTimeouts = new ArrayList<>();
  private final TransactionLayer layer =
      new TransactionLayer(out, clock, TimerValues.RFC3261, ackTimeouts::add);
  private final SipPeer udp = SipPeer.udp(new InetSocketAddress("192.0.2.1", 5060));
  private final SipPeer tcp =
      new SipPeer(SipPeer.Transport.TCP, new InetSocketAddress("192.0.2.1", 40000), "c1");

  static SipRequest request(String method, String branch) {
    String text =
        method
            + " sip:bob@192.0.2.10 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch="
            + branch
            + "\r\n"
            + "From: <sip:alice@192.0.2.1>;tag=a1\r\nTo: <sip:bob@192.0.2.10>\r\n"
            + "Call-ID: tx-test\r\nCSeq: 1 "
            + method
            + "\r\nContent-Length: 0\r\n\r\n";
    SipParseResult r =
        new SipMessageParser(SipParserLimits.DEFAULT)
            .parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    return (SipRequest) ((SipParseResult.Parsed) r).message();
  }

  @Test
  void inviteErrorResponseIsRetransmittedWithTimerGUntilTimerH() {
    TransactionLayer.Received rx = layer.receive(request("INVITE", "z9hG4bK1"), udp);
    assertEquals(TransactionLayer.Disposition.NEW, rx.disposition());
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 486));
    clock.advance(40_000);
    // G: 500, then doubling capped at T2=4000: 0, 500, 1500, 3500, 7500, 11500 ... until H at
    // 32000.
    List<Long> times = out.timesOfStatus(486);
    assertEquals(
        List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        times);
    assertEquals(1, ackTimeouts.size(), "Timer H reports the missing ACK");
    assertEquals(0, layer.serverTransactionCount());
  }

  @Test
  void ackStopsRetransmissionAndIsAbsorbedThenTimerIEnds() {
    TransactionLayer.Received rx = layer.receive(request("INVITE", "z9hG4bK2"), udp);
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 488));
    clock.advance(600);
    assertEquals(
        TransactionLayer.Disposition.ACK_ABSORBED,
        layer.receive(request("ACK", "z9hG4bK2"), udp).disposition());
    clock.advance(4_000);
    assertEquals(2, out.timesOfStatus(488).size());
    assertEquals(1, layer.serverTransactionCount(), "Confirmed until Timer I (T4)");
    clock.advance(1_001);
    assertEquals(0, layer.serverTransactionCount());
    assertTrue(ackTimeouts.isEmpty());
  }

  @Test
  void retransmittedInviteGetsTheLastProvisionalAndIsNotNew() {
    TransactionLayer.Received rx = layer.receive(request("INVITE", "z9hG4bK3"), udp);
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 180, null, "t1"));
    assertEquals(
        TransactionLayer.Disposition.RETRANSMISSION,
        layer.receive(request("INVITE", "z9hG4bK3"), udp).disposition());
    assertEquals(2, out.timesOfStatus(180).size());
  }

  @Test
  void acceptedInviteAbsorbsRetransmissionsSilently() {
    TransactionLayer.Received rx = layer.receive(request("INVITE", "z9hG4bK4"), udp);
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 200, null, "t1"));
    layer.receive(request("INVITE", "z9hG4bK4"), udp);
    assertEquals(
        1, out.timesOfStatus(200).size(), "the 2xx is retransmitted by the dialog layer, not here");
    assertEquals(
        TransactionLayer.Disposition.ACK_FOR_DIALOG,
        layer.receive(request("ACK", "z9hG4bK4"), udp).disposition());
  }

  @Test
  void nonInviteFinalResponseAnswersRetransmissionsUntilTimerJ() {
    TransactionLayer.Received rx = layer.receive(request("OPTIONS", "z9hG4bK5"), udp);
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 200));
    clock.advance(10_000);
    layer.receive(request("OPTIONS", "z9hG4bK5"), udp);
    assertEquals(2, out.timesOfStatus(200).size());
    clock.advance(22_001);
    assertEquals(0, layer.serverTransactionCount());
    assertEquals(
        TransactionLayer.Disposition.NEW,
        layer.receive(request("OPTIONS", "z9hG4bK5"), udp).disposition());
  }

  @Test
  void reliableTransportsDoNotRetransmitAndTerminateAtOnce() {
    TransactionLayer.Received rx = layer.receive(request("OPTIONS", "z9hG4bK6"), tcp);
    rx.transaction().respond(SipResponses.create(rx.transaction().request(), 200));
    clock.advance(1);
    assertEquals(0, layer.serverTransactionCount(), "Timer J is 0 on TCP");
    TransactionLayer.Received inv = layer.receive(request("INVITE", "z9hG4bK7"), tcp);
    inv.transaction().respond(SipResponses.create(inv.transaction().request(), 486));
    clock.advance(10_000);
    assertEquals(1, out.timesOfStatus(486).size(), "no Timer G on TCP");
  }

  @Test
  void clientTransactionRetransmitsWithTimerEAndTimesOutWithTimerF() {
    List<String> outcome = new ArrayList<>();
    layer.sendRequest(
        request("BYE", "z9hG4bK8"),
        udp,
        r -> outcome.add("final " + r.status()),
        () -> outcome.add("timeout"));
    clock.advance(33_000);
    List<Long> byes =
        out.sent.stream()
            .filter(s -> s.message() instanceof SipRequest r && r.is("BYE"))
            .map(CapturingOutbound.Sent::at)
            .toList();
    assertEquals(
        List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
        byes);
    assertEquals(List.of("timeout"), outcome);
  }

  @Test
  void clientTransactionDeliversTheFinalResponse() {
    List<Integer> outcome = new ArrayList<>();
    SipRequest bye = request("BYE", "z9hG4bK9");
    layer.sendRequest(bye, udp, r -> outcome.add(r.status()), () -> outcome.add(-1));
    SipResponse ok = SipResponses.create(bye, 200, null, "t");
    assertTrue(layer.receive(ok));
    clock.advance(40_000);
    assertEquals(List.of(200), outcome);
    assertEquals(1, out.requests("BYE").size());
  }
}
