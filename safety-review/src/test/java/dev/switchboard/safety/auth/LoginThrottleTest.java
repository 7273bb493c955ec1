package dev.switchboard.safety.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Password-guessing limits per account name and per client address, on a clock we move. */
class LoginThrottleTest {
  private static final LoginThrottle.Limits LIMITS =
      new LoginThrottle.Limits(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(10), 1000);

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T09:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(LIMITS, clock);

  @Test
  void anAccountIsLockedAfterItsLimitFromAnyAddressesUntilTheLockoutEnds() {
    throttle.recordFailure("alice", "10.0.0.1");
    throttle.recordFailure("alice", "10.0.0.2");
    assertThat(throttle.check("alice", "10.0.0.3")).isInstanceOf(LoginThrottle.Allowed.class);
    LoginThrottle.NewLocks third = throttle.recordFailure("alice", "10.0.0.3");
    assertThat(third).isEqualTo(new LoginThrottle.NewLocks(true, false));

    // Locked for everyone, whatever address the next guess comes from.
    assertThat(throttle.check("alice", "192.0.2.7"))
        .isEqualTo(new LoginThrottle.Refused(Duration.ofMinutes(10), false));
    assertThat(throttle.check("ALICE", "192.0.2.7")).isInstanceOf(LoginThrottle.Refused.class);
    // Other accounts and the addresses themselves are not locked.
    assertThat(throttle.check("bob", "10.0.0.1")).isInstanceOf(LoginThrottle.Allowed.class);

    clock.advance(Duration.ofMinutes(9));
    assertThat(throttle.check("alice", "192.0.2.7"))
        .isEqualTo(new LoginThrottle.Refused(Duration.ofMinutes(1), false));
    clock.advance(Duration.ofMinutes(1));
    assertThat(throttle.check("alice", "192.0.2.7")).isInstanceOf(LoginThrottle.Allowed.class);
    // After a lockout the count starts again from zero.
    throttle.recordFailure("alice", "192.0.2.7");
    assertThat(throttle.check("alice", "192.0.2.7")).isInstanceOf(LoginThrottle.Allowed.class);
  }

  @Test
  void anAddressIsLockedAfterItsLimitAcrossManyAccountNames() {
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.recordFailure("name" + i, "203.0.113.9").address()).isFalse();
    }
    assertThat(throttle.recordFailure("name4", "203.0.113.9").address()).isTrue();

    LoginThrottle.Verdict verdict = throttle.check("carol", "203.0.113.9");
    assertThat(verdict).isEqualTo(new LoginThrottle.Refused(Duration.ofMinutes(10), true));
    // The same account from elsewhere is fine: the address is what is locked.
    assertThat(throttle.check("carol", "198.51.100.1")).isInstanceOf(LoginThrottle.Allowed.class);
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    throttle.recordFailure("dave", "10.1.1.1");
    throttle.recordFailure("dave", "10.1.1.1");
    clock.advance(Duration.ofMinutes(15));
    assertThat(throttle.recordFailure("dave", "10.1.1.1").account()).isFalse();
    assertThat(throttle.recordFailure("dave", "10.1.1.1").account()).isFalse();
    assertThat(throttle.check("dave", "10.1.1.1")).isInstanceOf(LoginThrottle.Allowed.class);
  }

  @Test
  void successClearsTheAccountButNotTheAddress() {
    throttle.recordFailure("erin", "10.2.2.2");
    throttle.recordFailure("erin", "10.2.2.2");
    throttle.recordSuccess("erin");
    throttle.recordFailure("erin", "10.2.2.2");
    throttle.recordFailure("erin", "10.2.2.2");
    assertThat(throttle.check("erin", "10.2.2.3")).isInstanceOf(LoginThrottle.Allowed.class);

    // The address has 4 failures despite the success in between: one more locks it.
    assertThat(throttle.recordFailure("frank", "10.2.2.2").address()).isTrue();
    assertThat(throttle.check("erin", "10.2.2.2")).isInstanceOf(LoginThrottle.Refused.class);
  }

  @Test
  void unknownAndOverlongNamesAndMissingAddressesAreCountedToo() {
    String overlong = "x".repeat(500);
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure(overlong, null);
    }
    assertThat(throttle.check("y".repeat(300), "10.3.3.3"))
        .isInstanceOf(LoginThrottle.Refused.class);
    assertThat(throttle.check(null, "10.3.3.3")).isInstanceOf(LoginThrottle.Refused.class);
    throttle.recordFailure("a", null);
    throttle.recordFailure("b", null);
    assertThat(throttle.check("c", null)).isInstanceOf(LoginThrottle.Refused.class);
  }

  @Test
  void refusesNewLoginsWhenTooManyLiveKeysAreTracked() {
    LoginThrottle small =
        new LoginThrottle(
            new LoginThrottle.Limits(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(10), 2),
            clock);
    small.recordFailure("one", "10.4.4.1");
    small.recordFailure("two", "10.4.4.2");
    assertThat(small.check("three", "10.4.4.3")).isInstanceOf(LoginThrottle.Refused.class);
    // Once the window has passed the stale keys are dropped and logins go ahead again.
    clock.advance(Duration.ofMinutes(15));
    assertThat(small.check("three", "10.4.4.3")).isInstanceOf(LoginThrottle.Allowed.class);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(
            () -> new LoginThrottle.Limits(0, 5, Duration.ofMinutes(1), Duration.ofMinutes(1), 9))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new LoginThrottle.Limits(1, 5, Duration.ZERO, Duration.ofMinutes(1), 9))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
