package dev.switchboard.modeladapter.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A consecutive-failure circuit breaker. CLOSED lets everything through; after {@code
 * failureThreshold} failures in a row it goes OPEN and refuses calls for {@code openFor}; then
 * HALF_OPEN lets one trial call through, whose outcome closes or re-opens it.
 */
public final class CircuitBreaker {

  /** The breaker's position. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** Whether a call may go ahead, and if not, how long until the breaker tries again. */
  public sealed interface Permit {
    /** Go ahead; report the outcome with {@link #onSuccess} / {@link #onFailure}. */
    record Granted(boolean trial) implements Permit {}

    /** Refused while the breaker is open. */
    record Refused(Duration retryAfter) implements Permit {}
  }

  private final int failureThreshold;
  private final long openForNanos;
  private final LongSupplier clock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean trialInFlight;

  public CircuitBreaker(int failureThreshold, Duration openFor, LongSupplier nanoClock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1");
    }
    this.failureThreshold = failureThreshold;
    this.openForNanos = openFor.toNanos();
    this.clock = nanoClock;
  }

  public CircuitBreaker(int failureThreshold, Duration openFor) {
    this(failureThreshold, openFor, System::nanoTime);
  }

  public synchronized Permit acquire() {
    if (state == State.OPEN) {
      long waited = clock.getAsLong() - openedAt;
      if (waited < openForNanos) {
        return new Permit.Refused(Duration.ofNanos(openForNanos - waited));
      }
      state = State.HALF_OPEN;
      trialInFlight = false;
    }
    if (state == State.HALF_OPEN) {
      if (trialInFlight) {
        return new Permit.Refused(Duration.ofNanos(openForNanos));
      }
      trialInFlight = true;
      return new Permit.Granted(true);
    }
    return new Permit.Granted(false);
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    state = State.CLOSED;
    trialInFlight = false;
  }

  public synchronized void onFailure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openedAt = clock.getAsLong();
      trialInFlight = false;
    }
  }

  /** A call ended without telling us anything about the provider (e.g. the caller hung up). */
  public synchronized void onNeutral(Permit.Granted permit) {
    if (permit.trial()) {
      trialInFlight = false;
    }
  }

  public synchronized State state() {
    return state;
  }
}
