package dev.switchboard.safety.auth;

import dev.switchboard.safety.persistence.ReviewerAccountEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reviewer accounts: creation by admins, password checks at login. */
@ApplicationScoped
public class AccountService {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]{2,40}");
  private static final int MIN_PASSWORD_LENGTH = 12;

  private final Clock clock;

  public AccountService(Clock clock) {
    this.clock = clock;
  }

  /** The account whose password matches, if enabled. */
  @Transactional
  public Optional<Role> authenticate(String username, String password) {
    ReviewerAccountEntity account =
        username == null ? null : ReviewerAccountEntity.findById(username);
    if (account == null || account.disabled || password == null) {
      PasswordHasher.burnTime(password == null ? "" : password);
      return Optional.empty();
    }
    return PasswordHasher.matches(password, account.passwordHash)
        ? Optional.of(Role.fromDb(account.role))
        : Optional.empty();
  }

  @Transactional
  public boolean anyAccountExists() {
    return ReviewerAccountEntity.count() > 0;
  }

  /**
   * Creates an account. Fails with {@link IllegalArgumentException} (message safe to show) on a bad
   * name, a short password or an existing name.
   */
  @Transactional
  public void create(String username, String password, Role role) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException(
          "User name: 2-40 characters, lower-case letters, digits, dot, dash, underscore");
    }
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "Password: at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (ReviewerAccountEntity.findById(username) != null) {
      throw new IllegalArgumentException("That user name is taken");
    }
    ReviewerAccountEntity account = new ReviewerAccountEntity();
    account.username = username;
    account.passwordHash = PasswordHasher.hash(password);
    account.role = role.dbName();
    account.createdAt = Instant.now(clock);
    account.persist();
  }

  @Transactional
  public void setDisabled(String username, boolean disabled) {
    ReviewerAccountEntity account = ReviewerAccountEntity.findById(username);
    if (account == null) {
      throw new IllegalArgumentException("No such user");
    }
    account.disabled = disabled;
  }

  @Transactional
  public List<ReviewerAccountEntity> all() {
    return ReviewerAccountEntity.listAll(io.quarkus.panache.common.Sort.by("username"));
  }
}
