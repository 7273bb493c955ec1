package dev.switchboard.core;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MessagePart;
import dev.switchboard.contracts.events.ReplyRoute;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.contracts.identity.SubjectIds;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Inbound events shaped exactly as channel-whatsapp and channel-voice publish them. */
public final class InboundEvents {
  public static final String PEPPER = "dev-only-pepper-change-me-0001";
  public static final String PHONE_NUMBER_ID = "106540352242922";

  private InboundEvents() {}

  /** A fresh random US number so tests never share a person. */
  public static String randomE164() {
    return "+1555" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
  }

  public static String subjectOf(String e164) {
    return new SubjectIds(PEPPER).of(e164);
  }

  public static String waConversation(String e164) {
    return "wa:" + subjectOf(e164);
  }

  public static InboundEvent whatsappText(String e164, String wamid, String text) {
    Instant now = Instant.now();
    return InboundEvent.newBuilder()
        .setEventId("wa:" + wamid)
        .setConversationId(waConversation(e164))
        .setSubjectId(subjectOf(e164))
        .setChannel(Channel.CHANNEL_WHATSAPP)
        .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setReplyRoute(
            ReplyRoute.newBuilder()
                .setTopic(Topics.OUTBOUND_WHATSAPP)
                .setPartition(-1)
                .setChannelAddress(PHONE_NUMBER_ID))
        .setUserE164(e164)
        .setUserMessage(
            UserMessage.newBuilder()
                .addParts(MessagePart.newBuilder().setText(text))
                .setProviderMessageId(wamid)
                .setExpectsReply(true))
        .build();
  }

  public static String newWamid() {
    return "wamid.HBgL" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }
}
