package dev.switchboard.core.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One thread that takes everything waiting in its queue (up to a limit) and handles it as one
 * group: while a group is in the database the next items queue up, so under load many turns share
 * one round trip. On stop it finishes what is queued, then fails whatever is left.
 *
 * @param <T> one queued item
 */
final class GroupWorker<T> {
  private static final Logger LOG = Logger.getLogger(GroupWorker.class);

  private final String name;
  private final int maxGroup;
  private final Consumer<List<T>> handle;
  private final BiConsumer<T, RuntimeException> fail;
  private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private volatile boolean stopping;
  private Thread thread;

  /**
   * @param name the thread's name, also in the log
   * @param handle handles one group; an exception it throws fails every item of the group
   * @param fail completes one item with a failure
   */
  GroupWorker(
      String name, int maxGroup, Consumer<List<T>> handle, BiConsumer<T, RuntimeException> fail) {
    this.name = name;
    this.maxGroup = maxGroup;
    this.handle = handle;
    this.fail = fail;
  }

  void start() {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an item; false once the worker has stopped (nothing will handle it). */
  boolean offer(T item) {
    if (stopping && !thread.isAlive()) {
      return false;
    }
    queue.add(item);
    return true;
  }

  /** Finishes what is queued, waiting at most {@code drainMillis}. */
  void stop(long drainMillis) throws InterruptedException {
    stopping = true;
    thread.join(drainMillis);
  }

  private void run() {
    List<T> group = new ArrayList<>();
    while (!(stopping && queue.isEmpty())) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        handle.accept(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.errorf(e, "%s: a group failed unexpectedly", name);
        group.forEach(item -> fail.accept(item, e));
      } finally {
        group.clear();
      }
    }
    List<T> left = new ArrayList<>();
    queue.drainTo(left);
    IllegalStateException stopped = new IllegalStateException("interrupted while shutting down");
    left.forEach(item -> fail.accept(item, stopped));
  }
}
