package dev.switchboard.voice.call;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Hands out even RTP ports (the odd port above is RTCP, RFC 3550 §11) from a configured range,
 * least recently released first so a late packet of an old call rarely reaches a new one. A pair
 * another program holds (an outgoing connection's ephemeral port can fall in the range) is skipped
 * and kept for later, so a call is never answered on a port it cannot bind. Thread-safe.
 */
public final class RtpPortAllocator {
  /** How many busy pairs one allocation skips before it gives up. */
  static final int MAX_PROBES = 8;

  private final Deque<Integer> free = new ArrayDeque<>();
  private final int capacity;
  private final IntPredicate pairIsFree;

  /** An allocator that trusts the range to be ours alone. */
  public RtpPortAllocator(int minPort, int maxPort) {
    this(minPort, maxPort, port -> true);
  }

  /**
   * @param pairIsFree whether {@code port} and {@code port + 1} can be bound now
   */
  public RtpPortAllocator(int minPort, int maxPort, IntPredicate pairIsFree) {
    if (minPort < 1024 || maxPort > 65535 || maxPort <= minPort) {
      throw new IllegalArgumentException("Invalid RTP port range " + minPort + "-" + maxPort);
    }
    int first = minPort % 2 == 0 ? minPort : minPort + 1;
    for (int p = first; p + 1 <= maxPort; p += 2) {
      free.add(p);
    }
    capacity = free.size();
    this.pairIsFree = pairIsFree;
  }

  public synchronized OptionalInt allocate() {
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      Integer p = free.pollFirst();
      if (p == null) {
        return OptionalInt.empty();
      }
      if (pairIsFree.test(p)) {
        return OptionalInt.of(p);
      }
      free.addLast(p);
    }
    return OptionalInt.empty();
  }

  /** Whether {@code host} lets us bind {@code port} and {@code port + 1} for UDP right now. */
  public static boolean udpPairBindable(String host, int port) {
    try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(host, port));
        DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(host, port + 1))) {
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  public synchronized void release(int port) {
    free.addLast(port);
  }

  public synchronized int available() {
    return free.size();
  }

  public int capacity() {
    return capacity;
  }
}
