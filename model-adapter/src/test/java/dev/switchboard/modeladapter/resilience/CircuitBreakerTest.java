package dev.switchboard.modeladapter.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final AtomicLong now = new AtomicLong();
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);

  @Test
  void opensAfterConsecutiveFailuresAndRefusesWithRemainingWait() {
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(CircuitBreaker.Permit.Granted.class, breaker.acquire());
      breaker.onFailure();
    }
    now.addAndGet(Duration.ofSeconds(4).toNanos());

    var refused = assertInstanceOf(CircuitBreaker.Permit.Refused.class, breaker.acquire());
    assertEquals(Duration.ofSeconds(6), refused.retryAfter());
  }

  @Test
  void aSuccessInBetweenResetsTheCount() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();

    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
  }

  @Test
  void afterTheWaitOneTrialDecides() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());

    var trial = assertInstanceOf(CircuitBreaker.Permit.Granted.class, breaker.acquire());
    assertEquals(true, trial.trial());
    assertInstanceOf(CircuitBreaker.Permit.Refused.class, breaker.acquire()); // only one trial
    breaker.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    breaker.acquire();
    breaker.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
  }

  @Test
  void aCancelledTrialLetsTheNextCallTry() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    var trial = (CircuitBreaker.Permit.Granted) breaker.acquire();

    breaker.onNeutral(trial);

    assertInstanceOf(CircuitBreaker.Permit.Granted.class, breaker.acquire());
  }
}
