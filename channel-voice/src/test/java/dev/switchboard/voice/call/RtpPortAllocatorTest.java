package dev.switchboard.voice.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RtpPortAllocatorTest {
  private static final String HOST = "127.0.0.1";

  @Test
  void aPairAnotherProgramHoldsIsSkippedAndStaysInThePool() throws Exception {
    int first = freeEvenPair();
    RtpPortAllocator ports =
        new RtpPortAllocator(
            first, first + 5, port -> RtpPortAllocator.udpPairBindable(HOST, port));
    int capacity = ports.available();
    try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(HOST, first + 1))) {
      OptionalInt given = ports.allocate();
      assertTrue(given.isPresent());
      assertNotEquals(first, given.getAsInt(), "its RTCP port is taken");
      assertEquals(capacity - 1, ports.available(), "the busy pair waits in the pool");
    }
  }

  @Test
  void whenEveryPairIsHeldNoPortIsGiven() {
    RtpPortAllocator ports = new RtpPortAllocator(20_000, 20_007, port -> false);
    assertFalse(ports.allocate().isPresent());
    assertEquals(4, ports.available());
  }

  @Test
  void portsComeBackLeastRecentlyReleasedFirst() {
    RtpPortAllocator ports = new RtpPortAllocator(20_000, 20_005);
    int a = ports.allocate().getAsInt();
    int b = ports.allocate().getAsInt();
    ports.release(b);
    ports.release(a);
    assertEquals(20_004, ports.allocate().getAsInt());
    assertEquals(b, ports.allocate().getAsInt());
  }

  /** An even port whose pair and the two pairs above are free now. */
  private static int freeEvenPair() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate;
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
        candidate = probe.getLocalPort() & ~1;
      }
      if (candidate >= 1024
          && candidate + 5 <= 65535
          && RtpPortAllocator.udpPairBindable(HOST, candidate)
          && RtpPortAllocator.udpPairBindable(HOST, candidate + 2)
          && RtpPortAllocator.udpPairBindable(HOST, candidate + 4)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port pairs on " + HOST);
  }
}
