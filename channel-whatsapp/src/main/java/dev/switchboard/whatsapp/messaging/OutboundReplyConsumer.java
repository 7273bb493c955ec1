package dev.switchboard.whatsapp.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.whatsapp.mapping.OutboundEventMapper;
import dev.switchboard.whatsapp.reply.ReplySender;
import dev.switchboard.whatsapp.reply.UnprocessableEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads replies from {@code conversation.outbound.whatsapp}. Records are read as bytes and parsed
 * here, so an unparseable one is nacked and goes to the dead-letter topic with the reason instead
 * of stalling the partition. The offset is committed only after the reply was handled.
 */
@ApplicationScoped
public class OutboundReplyConsumer {
  public static final String CHANNEL = "whatsapp-replies";

  private final ReplySender sender;

  public OutboundReplyConsumer(ReplySender sender) {
    this.sender = sender;
  }

  @Incoming(CHANNEL)
  @Blocking
  public void onReply(byte[] payload) {
    OutboundEvent event;
    try {
      event = OutboundEvent.parseFrom(payload == null ? new byte[0] : payload);
    } catch (InvalidProtocolBufferException e) {
      throw new UnprocessableEventException("not an OutboundEvent protobuf: " + e.getMessage());
    }
    sender.deliver(OutboundEventMapper.toReply(event));
  }
}
