package dev.switchboard.voice.call;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;

/**
 * Hands out even RTP ports (the odd port above is RTCP, RFC 3550 §11) from a configured range,
 * least recently released first so a late packet of an old call rarely reaches a new one.
 * Thread-safe.
 */
public final class RtpPortAllocator {
  private final Deque<Integer> free = new ArrayDeque<>();
  private final int capacity;

  public RtpPortAllocator(int minPort, int maxPort) {
    if (minPort < 1024 || maxPort > 65535 || maxPort <= minPort) {
      throw new IllegalArgumentException("Invalid RTP port range " + minPort + "-" + maxPort);
    }
    int first = minPort % 2 == 0 ? minPort : minPort + 1;
    for (int p = first; p + 1 <= maxPort; p += 2) {
      free.add(p);
    }
    capacity = free.size();
  }

  public synchronized OptionalInt allocate() {
    Integer p = free.pollFirst();
    return p == null ? OptionalInt.empty() : OptionalInt.of(p);
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
