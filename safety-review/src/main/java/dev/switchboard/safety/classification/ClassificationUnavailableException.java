package dev.switchboard.safety.classification;

/** The model gateway could not classify right now; the turn is retried later. */
public class ClassificationUnavailableException extends RuntimeException {
  public ClassificationUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
