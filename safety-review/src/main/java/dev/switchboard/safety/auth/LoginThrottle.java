package dev.switchboard.safety.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password guessing at the login form, by account and by client address.
 *
 * <p>Each key (an account name, or a client address) counts failed logins in a fixed window that
 * starts with its first failure. Reaching the limit locks the key until the lockout ends; while
 * locked, logins are refused before the password is even checked, so guesses during a lockout learn
 * nothing. A success clears the account's count but not the address's, so an attacker who owns one
 * account cannot reset the address limit with their own logins. Unknown account names are counted
 * like real ones, so a lockout does not reveal which names exist.
 *
 * <p>Limits: counts live in this process (each replica enforces its own; with N replicas an
 * attacker gets at most N times the budget) and at most {@code maxTrackedKeys} keys are tracked;
 * beyond that, expired keys are purged, and when none can be purged new keys are refused outright
 * until some expire (failing closed).
 */
public final class LoginThrottle {

  /** Limits of the throttle. */
  public record Limits(
      int maxFailuresPerAccount,
      int maxFailuresPerAddress,
      Duration window,
      Duration lockout,
      int maxTrackedKeys) {
    public Limits {
      if (maxFailuresPerAccount < 1 || maxFailuresPerAddress < 1 || maxTrackedKeys < 1) {
        throw new IllegalArgumentException("Login limits must be at least 1");
      }
      if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
        throw new IllegalArgumentException("Login window and lockout must be positive");
      }
    }
  }

  /** The outcome of asking whether a login attempt may go ahead. */
  public sealed interface Verdict permits Allowed, Refused {}

  /** The password may be checked. */
  public record Allowed() implements Verdict {}

  /**
   * Too many failures: refuse without checking the password.
   *
   * @param retryAfter how long until the lock ends (at least one second)
   * @param byAddress whether the client address, rather than the account, is locked
   */
  public record Refused(Duration retryAfter, boolean byAddress) implements Verdict {}

  /** One key's state; replaced, never changed, so readers always see a consistent value. */
  private record Counter(int failures, Instant windowStart, Instant lockedUntil) {
    boolean locked(Instant now) {
      return lockedUntil != null && now.isBefore(lockedUntil);
    }

    boolean expired(Instant now, Duration window) {
      return !locked(now) && (windowStart == null || !now.isBefore(windowStart.plus(window)));
    }
  }

  private final Limits limits;
  private final Clock clock;
  private final Map<String, Counter> accounts = new ConcurrentHashMap<>();
  private final Map<String, Counter> addresses = new ConcurrentHashMap<>();

  public LoginThrottle(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Whether a login for {@code account} from {@code address} may check a password now. */
  public Verdict check(String account, String address) {
    Instant now = Instant.now(clock);
    Instant addressLock = lockedUntil(addresses, addressKey(address), now);
    if (addressLock != null) {
      return new Refused(retryAfter(now, addressLock), true);
    }
    Instant accountLock = lockedUntil(accounts, accountKey(account), now);
    if (accountLock != null) {
      return new Refused(retryAfter(now, accountLock), false);
    }
    if (isFull(accounts, now) || isFull(addresses, now)) {
      return new Refused(Duration.ofSeconds(60), true);
    }
    return new Allowed();
  }

  /**
   * Which locks a failure started.
   *
   * @param account the account name is now locked
   * @param address the client address is now locked
   */
  public record NewLocks(boolean account, boolean address) {}

  /** Counts a failed login against both the account and the address. */
  public NewLocks recordFailure(String account, String address) {
    Instant now = Instant.now(clock);
    return new NewLocks(
        count(accounts, accountKey(account), limits.maxFailuresPerAccount(), now),
        count(addresses, addressKey(address), limits.maxFailuresPerAddress(), now));
  }

  /** A successful login clears the account's failures (the address's stay). */
  public void recordSuccess(String account) {
    accounts.remove(accountKey(account));
  }

  /** Returns true when this failure locked the key. */
  private boolean count(Map<String, Counter> counters, String key, int max, Instant now) {
    boolean[] locked = {false};
    counters.compute(
        key,
        (k, c) -> {
          if (c != null && c.locked(now)) {
            return c;
          }
          if (c == null || c.expired(now, limits.window())) {
            c = new Counter(0, now, null);
          }
          int failures = c.failures() + 1;
          if (failures < max) {
            return new Counter(failures, c.windowStart(), null);
          }
          locked[0] = true;
          return new Counter(0, null, now.plus(limits.lockout()));
        });
    return locked[0];
  }

  private static Instant lockedUntil(Map<String, Counter> counters, String key, Instant now) {
    Counter c = counters.get(key);
    return c != null && c.locked(now) ? c.lockedUntil() : null;
  }

  /** True when the map is at its cap even after dropping expired keys. */
  private boolean isFull(Map<String, Counter> counters, Instant now) {
    if (counters.size() < limits.maxTrackedKeys()) {
      return false;
    }
    counters.entrySet().removeIf(e -> e.getValue().expired(now, limits.window()));
    return counters.size() >= limits.maxTrackedKeys();
  }

  private static Duration retryAfter(Instant now, Instant until) {
    Duration left = Duration.between(now, until);
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  /** Account names are case-folded and bounded; anything else shares one key. */
  static String accountKey(String account) {
    if (account == null || account.length() > 40) {
      return "(invalid)";
    }
    return account.strip().toLowerCase(java.util.Locale.ROOT);
  }

  private static String addressKey(String address) {
    return address == null || address.isBlank() ? "(unknown)" : address;
  }
}
