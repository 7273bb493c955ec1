package dev.switchboard.core.conversation;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore whose {@link #acquire()} never blocks a thread: it returns a future that
 * completes when a permit is free. The Kafka consumer waits on it, which stops polling when too
 * much work is in flight (backpressure).
 */
public final class AsyncPermits {
  private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int available;

  public AsyncPermits(int permits) {
    this.available = permits;
  }

  public CompletableFuture<Void> acquire() {
    synchronized (this) {
      if (available > 0) {
        available--;
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> ticket = new CompletableFuture<>();
      waiting.add(ticket);
      return ticket;
    }
  }

  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        available++;
        return;
      }
    }
    next.complete(null);
  }

  public synchronized int inUse(int capacity) {
    return capacity - available;
  }
}
