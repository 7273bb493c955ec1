package dev.switchboard.voice.transaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock the test advances by hand, so RFC 3261 timers can be checked without waiting. */
public final class ManualTimers implements SipTimers {
  private static final class Task {
    final long due;
    final long seq;
    final Runnable run;
    boolean cancelled;

    Task(long due, long seq, Runnable run) {
      this.due = due;
      this.seq = seq;
      this.run = run;
    }
  }

  private final List<Task> tasks = new ArrayList<>();
  private long now;
  private long seq;

  @Override
  public Cancellable schedule(long delayMs, Runnable task) {
    Task t = new Task(now + Math.max(0, delayMs), seq++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Runs everything due up to now + ms, in time order, including tasks scheduled meanwhile. */
  public void advance(long ms) {
    long target = now + ms;
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> !t.cancelled && t.due <= target)
              .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = Math.max(now, next.due);
      next.run.run();
    }
    now = target;
  }

  public long now() {
    return now;
  }
}
