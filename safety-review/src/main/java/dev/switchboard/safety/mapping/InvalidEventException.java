package dev.switchboard.safety.mapping;

/** An event that cannot be processed; its message is the dead-letter reason. */
public class InvalidEventException extends RuntimeException {
  public InvalidEventException(String reason) {
    super(reason);
  }

  public InvalidEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
