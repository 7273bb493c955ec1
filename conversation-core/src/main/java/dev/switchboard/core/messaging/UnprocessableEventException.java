package dev.switchboard.core.messaging;

/** Why an inbound record went to the dead-letter topic; its message becomes the header. */
public class UnprocessableEventException extends RuntimeException {
  public UnprocessableEventException(String reason) {
    super(reason, null, false, false);
  }

  public UnprocessableEventException(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }
}
