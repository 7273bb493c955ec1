package dev.switchboard.whatsapp.reply;

/** A whole reply the core asked us to send to one person. */
public record OutboundReply(
    String eventId,
    String conversationId,
    String subjectId,
    String phoneNumberId,
    String text,
    String contextMessageId) {

  @Override
  public String toString() {
    // Never print the text.
    return "OutboundReply[" + eventId + "]";
  }
}
