package dev.switchboard.voice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SymmetricRtpLatchTest {

  private static final long MS = 1_000_000L;
  private static final InetSocketAddress SDP = new InetSocketAddress("192.168.1.20", 4000);
  private static final InetSocketAddress NAT = new InetSocketAddress("203.0.113.7", 61_234);
  private static final InetSocketAddress ATTACKER = new InetSocketAddress("198.51.100.66", 5004);
  private static final InetSocketAddress NEW_NAT = new InetSocketAddress("203.0.113.7", 61_999);

  private final SymmetricRtpLatch<InetSocketAddress> latch =
      new SymmetricRtpLatch<>(SDP, 2_000 * MS);

  @Test
  void sendsToTheSdpAddressUntilMediaArrivesThenToWhereItReallyComesFrom() {
    assertEquals(SDP, latch.remote());
    assertTrue(latch.accept(NAT, 42, 100, 0));
    assertFalse(latch.isLatched(), "one packet is not enough");
    assertTrue(latch.accept(NAT, 42, 101, 20 * MS));
    assertTrue(latch.isLatched());
    assertEquals(NAT, latch.remote());
  }

  @Test
  void aReInviteToANewAddressIsFollowedAndTheSameAddressKeepsTheLatch() {
    latch.accept(NAT, 42, 100, 0);
    latch.accept(NAT, 42, 101, 20 * MS);
    InetSocketAddress mediaServer = new InetSocketAddress("192.0.2.50", 30_000);

    assertFalse(latch.resignal(SDP), "a hold or resume re-INVITE with the same address");
    assertEquals(NAT, latch.remote());
    assertTrue(latch.resignal(mediaServer));
    assertEquals(mediaServer, latch.remote(), "we send to the new address at once");
    assertTrue(latch.accept(mediaServer, 77, 1, 40 * MS));
    assertTrue(latch.accept(mediaServer, 77, 2, 60 * MS));
    assertTrue(latch.isLatched());
    assertFalse(latch.accept(NAT, 42, 102, 80 * MS), "the old source no longer belongs");
  }

  @Test
  void anotherSourceCannotTakeOverAnActiveCall() {
    latch.accept(NAT, 42, 100, 0);
    latch.accept(NAT, 42, 101, 20 * MS);
    for (int i = 0; i < 50; i++) {
      assertFalse(latch.accept(ATTACKER, 99, 500 + i, (40 + i) * MS), "injected packet " + i);
      latch.accept(NAT, 42, 102 + i, (40 + i) * MS);
    }
    assertEquals(NAT, latch.remote());
    assertEquals(50, latch.rejectedCount());
  }

  @Test
  void afterTheLatchedSourceGoesQuietANewConfirmedSourceTakesOver() {
    latch.accept(NAT, 42, 100, 0);
    latch.accept(NAT, 42, 101, 20 * MS);
    assertFalse(latch.accept(NEW_NAT, 42, 102, 500 * MS), "too soon");

    assertFalse(latch.accept(NEW_NAT, 42, 150, 2_100 * MS), "first packet of a re-latch waits");
    assertTrue(latch.accept(NEW_NAT, 42, 151, 2_120 * MS));
    assertEquals(NEW_NAT, latch.remote());
    assertFalse(latch.accept(NAT, 42, 152, 2_140 * MS), "the old binding is now the stranger");
  }

  @Test
  void packetsOutOfSequenceOrWithAnotherSsrcDoNotConfirmASource() {
    latch.accept(NAT, 42, 100, 0);
    latch.accept(NAT, 43, 101, 20 * MS); // SSRC changed
    assertFalse(latch.isLatched());
    latch.accept(NAT, 43, 105, 40 * MS); // gap
    assertFalse(latch.isLatched());
    latch.accept(NAT, 43, 106, 60 * MS);
    assertTrue(latch.isLatched());
  }
}
