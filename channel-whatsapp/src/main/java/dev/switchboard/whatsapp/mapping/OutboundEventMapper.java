package dev.switchboard.whatsapp.mapping;

import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.whatsapp.reply.OutboundReply;
import dev.switchboard.whatsapp.reply.UnprocessableEventException;

/** Reads a {@code conversation.outbound.whatsapp} event into an {@link OutboundReply}. */
public final class OutboundEventMapper {
  private OutboundEventMapper() {}

  public static OutboundReply toReply(OutboundEvent event) {
    if (event.getPayloadCase() != OutboundEvent.PayloadCase.REPLY_MESSAGE) {
      throw new UnprocessableEventException(
          "expected payload reply_message, got " + event.getPayloadCase());
    }
    if (event.getEventId().isEmpty()) {
      throw new UnprocessableEventException("outbound event without event_id");
    }
    if (event.getSubjectId().isEmpty()) {
      throw new UnprocessableEventException("outbound event without subject_id");
    }
    String phoneNumberId = event.getReplyRoute().getChannelAddress();
    if (phoneNumberId.isEmpty()) {
      throw new UnprocessableEventException("reply_route.channel_address (phone_number_id) empty");
    }
    ReplyMessage reply = event.getReplyMessage();
    return new OutboundReply(
        event.getEventId(),
        event.getConversationId(),
        event.getSubjectId(),
        phoneNumberId,
        reply.getText(),
        reply.getContextProviderMessageId().isEmpty() ? null : reply.getContextProviderMessageId());
  }
}
