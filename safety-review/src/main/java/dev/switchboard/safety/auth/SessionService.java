package dev.switchboard.safety.auth;

import dev.switchboard.safety.config.SafetyConfig;
import dev.switchboard.safety.persistence.ReviewerAccountEntity;
import dev.switchboard.safety.persistence.ReviewerSessionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** Server-side login sessions: a random cookie value whose hash is the session's key. */
@ApplicationScoped
public class SessionService {
  private final SecureRandom random = new SecureRandom();
  private final SafetyConfig config;
  private final Clock clock;

  public SessionService(SafetyConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Opens a session and returns the cookie value (shown only to the browser). */
  @Transactional
  public String open(String username) {
    String token = randomToken();
    ReviewerSessionEntity session = new ReviewerSessionEntity();
    session.tokenHash = sha256(token);
    session.username = username;
    session.csrfToken = randomToken();
    session.createdAt = Instant.now(clock);
    session.expiresAt = session.createdAt.plus(config.review().sessionTtl());
    session.persist();
    return token;
  }

  /** The live session behind a cookie value, if any; disabled accounts lose their sessions. */
  @Transactional
  public Optional<ReviewerIdentity> resolve(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Optional.empty();
    }
    ReviewerSessionEntity session = ReviewerSessionEntity.findById(sha256(token));
    if (session == null || session.expiresAt.isBefore(Instant.now(clock))) {
      return Optional.empty();
    }
    ReviewerAccountEntity account = ReviewerAccountEntity.findById(session.username);
    if (account == null || account.disabled) {
      return Optional.empty();
    }
    return Optional.of(
        new ReviewerIdentity(account.username, Role.fromDb(account.role), session.csrfToken));
  }

  @Transactional
  public void close(String token) {
    if (token != null) {
      ReviewerSessionEntity.deleteById(sha256(token));
    }
  }

  @Transactional
  public long purgeExpired() {
    return ReviewerSessionEntity.delete("expiresAt < ?1", Instant.now(clock));
  }

  public String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
