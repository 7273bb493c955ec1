package dev.switchboard.safety.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.ForbiddenException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Synchronizer-token CSRF check: every form carries its session's token in the {@code csrf} field,
 * and every form handler calls {@link #require} before acting.
 */
public final class CsrfGuard {
  public static final String FIELD = "csrf";

  private CsrfGuard() {}

  public static ReviewerIdentity reviewer(SecurityIdentity identity) {
    ReviewerIdentity reviewer = identity.getAttribute(SessionIdentityProvider.IDENTITY_ATTRIBUTE);
    if (reviewer == null) {
      throw new ForbiddenException("No reviewer session");
    }
    return reviewer;
  }

  /** Returns the reviewer when the submitted token matches the session's, else 403. */
  public static ReviewerIdentity require(SecurityIdentity identity, String submitted) {
    ReviewerIdentity reviewer = reviewer(identity);
    if (!same(reviewer.csrfToken(), submitted)) {
      throw new ForbiddenException("Missing or wrong CSRF token");
    }
    return reviewer;
  }

  public static boolean same(String expected, String submitted) {
    if (expected == null || submitted == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
  }
}
