package dev.switchboard.core.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window message limit per person. In memory: WhatsApp events are keyed by a per-person
 * conversation id, so one core instance sees all of a person's messages (per partition).
 */
public final class RateLimiter {
  /** The verdict for one message. */
  public enum Verdict {
    ALLOWED,
    /** First message over the limit in this window: tell the person, once. */
    LIMITED_NOTIFY,
    /** Still over the limit and already told. */
    LIMITED_QUIET
  }

  private static final class Window {
    final ArrayDeque<Instant> accepted = new ArrayDeque<>();
    Instant notifiedAt;
  }

  private final int limit;
  private final Duration window;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimiter(int limit, Duration window) {
    this.limit = limit;
    this.window = window;
  }

  public Verdict check(String subjectId, Instant now) {
    Window w = windows.computeIfAbsent(subjectId, s -> new Window());
    synchronized (w) {
      Instant cutoff = now.minus(window);
      while (!w.accepted.isEmpty() && w.accepted.peekFirst().isBefore(cutoff)) {
        w.accepted.pollFirst();
      }
      if (w.accepted.size() < limit) {
        w.accepted.addLast(now);
        return Verdict.ALLOWED;
      }
      if (w.notifiedAt == null || w.notifiedAt.isBefore(cutoff)) {
        w.notifiedAt = now;
        return Verdict.LIMITED_NOTIFY;
      }
      return Verdict.LIMITED_QUIET;
    }
  }
}
