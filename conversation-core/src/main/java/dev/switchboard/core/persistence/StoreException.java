package dev.switchboard.core.persistence;

/** A database statement failed; the caller's retry (the work is idempotent by event id) decides. */
public final class StoreException extends RuntimeException {
  public StoreException(String doing, Throwable cause) {
    super(doing + " failed: " + cause.getMessage(), cause);
  }
}
