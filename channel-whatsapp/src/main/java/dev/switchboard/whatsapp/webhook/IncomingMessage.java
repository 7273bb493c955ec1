package dev.switchboard.whatsapp.webhook;

import java.time.Instant;

/**
 * One message from a person, in the order Meta listed it.
 *
 * @param wamid the provider message id
 * @param waId the sender's WhatsApp number (digits, no plus), or null when Meta withheld it
 * @param userId the business-scoped user id, or null on older payloads
 * @param contextMessageId the wamid this message replies to, or null
 */
public record IncomingMessage(
    String wamid,
    String waId,
    String userId,
    Instant sentAt,
    String contextMessageId,
    MessageContent content) {

  @Override
  public String toString() {
    // Never print the number or the content.
    return "IncomingMessage[" + wamid + "]";
  }
}
