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

  /** Not a bcrypt hash, so no password ever matches it. */
  static final String NO_PASSWORD = "!provider-sign-in";

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

  /**
   * Records a user who signed in at the OpenID Connect provider, with the role the provider gave
   * them this time. A new account gets no usable password (the embedded login cannot open it); an
   * existing one keeps its password and its disabled flag, so an admin can still shut a user out
   * here. Returns false when the account is disabled.
   */
  @Transactional
  public boolean recordProviderSignIn(String username, Role role) {
    ReviewerAccountEntity account = ReviewerAccountEntity.findById(username);
    if (account == null) {
      account = new ReviewerAccountEntity();
      account.username = username;
      account.passwordHash = NO_PASSWORD;
      account.role = role.dbName();
      account.createdAt = Instant.now(clock);
      account.persist();
      return true;
    }
    account.role = role.dbName();
    return !account.disabled;
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
