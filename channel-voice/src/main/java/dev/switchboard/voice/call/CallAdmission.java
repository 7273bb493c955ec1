package dev.switchboard.voice.call;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether this node takes another call: at most {@code maxConcurrentCalls}, none while
 * draining. Thread-safe; the health check reads it.
 */
public final class CallAdmission {
  /** Why a call was refused, or that it was admitted. */
  public enum Decision {
    ADMITTED,
    AT_CAPACITY,
    DRAINING
  }

  private final int maxConcurrentCalls;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  public CallAdmission(int maxConcurrentCalls) {
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  /** Reserves a slot when admitted; the caller must {@link #release()} it exactly once. */
  public Decision tryAdmit() {
    if (draining.get()) {
      return Decision.DRAINING;
    }
    while (true) {
      int n = active.get();
      if (n >= maxConcurrentCalls) {
        return Decision.AT_CAPACITY;
      }
      if (active.compareAndSet(n, n + 1)) {
        return Decision.ADMITTED;
      }
    }
  }

  public void release() {
    active.decrementAndGet();
  }

  public void startDraining() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  public int activeCalls() {
    return active.get();
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public boolean atCapacity() {
    return active.get() >= maxConcurrentCalls;
  }
}
