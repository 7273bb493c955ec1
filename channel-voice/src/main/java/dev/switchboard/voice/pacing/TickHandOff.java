package dev.switchboard.voice.pacing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands work from the pacer thread to a pool in one piece per pass. Tasks submitted on the pacer
 * thread while it runs its due sub-ticks are gathered and given to the pool as a single task when
 * the pass ends: the streams of one sub-tick (five calls at 100 calls) cost one wake-up of a pool
 * thread instead of one each. Tasks submitted on any other thread go to the pool at once. A task
 * that throws is counted and does not keep the others of its batch from running.
 *
 * <p>Made by {@link PacedScheduler#handOff(Executor)}; the thread that runs the scheduler's passes
 * is the one whose tasks are gathered.
 */
public final class TickHandOff implements Executor {
  private final Executor pool;
  private final AtomicLong failures = new AtomicLong();
  private volatile Thread pacerThread;
  private List<Runnable> gathered = new ArrayList<>();

  TickHandOff(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    if (Thread.currentThread() == pacerThread) {
      gathered.add(task);
    } else {
      pool.execute(task);
    }
  }

  /** Tasks that threw; the rest of their batch still ran. */
  public long failures() {
    return failures.get();
  }

  /** From now on, tasks submitted on the calling thread wait for {@link #flush()}. */
  void gatherOnCurrentThread() {
    pacerThread = Thread.currentThread();
  }

  /** Gives what the pass gathered to the pool as one task. Called on the pacer thread. */
  void flush() {
    if (gathered.isEmpty()) {
      return;
    }
    List<Runnable> batch = gathered;
    gathered = new ArrayList<>(batch.size());
    try {
      pool.execute(() -> runAll(batch));
    } catch (RejectedExecutionException shutDown) {
      failures.addAndGet(batch.size());
    }
  }

  private void runAll(List<Runnable> batch) {
    for (Runnable task : batch) {
      try {
        task.run();
      } catch (RuntimeException e) {
        failures.incrementAndGet();
      }
    }
  }
}
