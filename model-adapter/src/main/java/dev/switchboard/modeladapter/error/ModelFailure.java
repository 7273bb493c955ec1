package dev.switchboard.modeladapter.error;

import java.time.Duration;
import java.util.Optional;

/** A failure of a model backend, classified so callers can react (and gRPC can say which). */
public final class ModelFailure extends RuntimeException {

  /** What went wrong, as a caller would want to distinguish it. */
  public enum Kind {
    /** The requested model does not exist at the provider. */
    UNKNOWN_MODEL,
    /** The provider rejected our credentials (HTTP 401/403). */
    KEY_REJECTED,
    /** The provider's rate limit or quota was hit (HTTP 429). */
    QUOTA,
    /** The provider did not answer (or stopped answering) in time. */
    TIMEOUT,
    /** The provider failed: 5xx, malformed stream, connection dropped. */
    PROVIDER_FAILURE,
    /** The request itself was invalid (HTTP 400). */
    INVALID_REQUEST,
    /**
     * The backend cannot work on this machine as configured (e.g. a model directory is missing).
     */
    NOT_CONFIGURED,
    /** Too many requests are already in flight to this backend (bulkhead full). */
    BUSY,
    /** The backend is switched off by its circuit breaker after repeated failures. */
    CIRCUIT_OPEN
  }

  private final Kind kind;
  private final String backend;
  private final Duration retryAfter;
  private final boolean beforeFirstByte;

  public ModelFailure(
      Kind kind, String backend, String message, Duration retryAfter, boolean beforeFirstByte) {
    super(message, null, false, false);
    this.kind = kind;
    this.backend = backend;
    this.retryAfter = retryAfter;
    this.beforeFirstByte = beforeFirstByte;
  }

  public static ModelFailure of(Kind kind, String backend, String message) {
    return new ModelFailure(kind, backend, message, null, true);
  }

  public Kind kind() {
    return kind;
  }

  public String backend() {
    return backend;
  }

  /** How long the provider asked us to wait, when it said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True when nothing had been streamed to the caller yet, so a retry or fallback is safe. */
  public boolean beforeFirstByte() {
    return beforeFirstByte;
  }

  /** True for failures that say the provider is unhealthy (what a circuit breaker counts). */
  public boolean providerUnhealthy() {
    return kind == Kind.PROVIDER_FAILURE || kind == Kind.TIMEOUT;
  }

  /** The same failure, marked as happening after output had started. */
  public ModelFailure afterFirstByte() {
    return new ModelFailure(kind, backend, getMessage(), retryAfter, false);
  }
}
