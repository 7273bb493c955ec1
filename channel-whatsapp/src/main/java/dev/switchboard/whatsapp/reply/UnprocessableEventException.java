package dev.switchboard.whatsapp.reply;

/**
 * An outbound event we can never act on (not an OutboundEvent, wrong payload, unknown number, no
 * known recipient). The consumer nacks it and it lands on the dead-letter topic with this message
 * as {@code dead-letter-reason}.
 */
public class UnprocessableEventException extends RuntimeException {
  public UnprocessableEventException(String message) {
    super(message);
  }
}
