package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real SIP peer (SIPp) calls the running service over UDP and TCP. Each scenario file asserts the
 * messages it receives (status codes, SDP answer, headers via regular expressions); the test also
 * checks the calls the service counted and that every call was cleaned up.
 */
@QuarkusTest
class SippInteropTest {
  private final SipServer server;
  private long startedBefore;
  private long endedBefore;

  SippInteropTest(SipServer server) {
    this.server = server;
  }

  @BeforeEach
  void remember() {
    startedBefore = server.stats().callsStarted.get();
    endedBefore = server.stats().callsEnded.get();
  }

  @AfterEach
  void noCallLeftBehind() throws InterruptedException {
    for (int i = 0; i < 50 && server.admission().activeCalls() > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, server.admission().activeCalls(), "calls left active after the scenario");
  }

  private Sipp.Result pass(String scenario, String transport) {
    Sipp.Result r = Sipp.run(scenario, server.port(), transport);
    assertTrue(r.passed(), () -> scenario + " failed\n" + r.describe());
    return r;
  }

  private long started() {
    return server.stats().callsStarted.get() - startedBefore;
  }

  /** The peer may see our 200 an instant before the event loop has finished its bookkeeping. */
  private long ended() throws InterruptedException {
    for (int i = 0; i < 20 && server.stats().callsEnded.get() - endedBefore == 0; i++) {
      Thread.sleep(50);
    }
    return server.stats().callsEnded.get() - endedBefore;
  }

  @Test
  void callerHangsUpOverUdp() throws InterruptedException {
    pass("call-bye-from-caller.xml", "u1");
    assertEquals(1, started());
    assertEquals(1, ended());
  }

  @Test
  void callerHangsUpOverTcp() {
    pass("call-bye-from-caller.xml", "t1");
    assertEquals(1, started());
  }

  @Test
  void weHangUp() throws InterruptedException {
    pass("bye-from-us.xml", "u1");
    assertEquals(1, ended());
  }

  @Test
  void weHangUpOverTcpOnTheCallersConnection() throws InterruptedException {
    pass("bye-from-us.xml", "t1");
    assertEquals(1, ended());
  }

  @Test
  void transferByReferOverTcp() throws InterruptedException {
    pass("transfer.xml", "t1");
    assertEquals(1, ended());
  }

  @Test
  void cancelBeforeAnswer() throws InterruptedException {
    pass("cancel-before-answer.xml", "u1");
    assertEquals(1, ended());
  }

  @Test
  void inviteWithoutSdp() {
    pass("invite-without-sdp.xml", "u1");
  }

  @Test
  void holdAndResume() {
    pass("hold-resume.xml", "u1");
  }

  @Test
  void optionsKeepAlive() {
    pass("options.xml", "u1");
    assertEquals(0, started());
  }

  @Test
  void dtmfByInfo() {
    pass("info-dtmf.xml", "u1");
  }

  @Test
  void sessionTimerRefresh() {
    pass("session-timer.xml", "u1");
  }

  @Test
  void sessionIntervalTooSmall() {
    pass("session-timer-too-small.xml", "u1");
    assertEquals(0, started());
  }

  @Test
  void retransmittedInviteIsOneCall() {
    Sipp.Result r = pass("retransmitted-invite.xml", "u1");
    assertEquals(1, started(), "a retransmitted INVITE must not start a second call");
    assertTrue(
        r.retransmissionsOf("180", 1) >= 1,
        () ->
            "the retransmitted INVITE was not answered with the last provisional response\n"
                + r.describe());
  }

  @Test
  void lostAckIsRecoveredByRetransmitting200() {
    Sipp.Result r = pass("lost-ack.xml", "u1");
    assertEquals(1, started());
    assertTrue(
        r.retransmissionsOf("200", 1) >= 2,
        () -> "200 not retransmitted at T1 and 2*T1 while the ACK was missing\n" + r.describe());
  }

  @Test
  void noCommonCodecIs488() {
    pass("no-common-codec.xml", "u1");
    assertEquals(0, started());
  }

  @Test
  void transferByRefer() throws InterruptedException {
    pass("transfer.xml", "u1");
    assertEquals(1, ended());
  }

  @Test
  void unsupportedMethods() {
    pass("methods.xml", "u1");
  }
}
