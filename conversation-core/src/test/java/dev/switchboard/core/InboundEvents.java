package dev.switchboard.core;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.CallEnded;
import dev.switchboard.contracts.events.CallStarted;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.Interrupted;
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

  public static final String VOICE_NODE = "voice-0";

  /** A voice event envelope as channel-voice publishes it (reply route: partition 0). */
  public static InboundEvent.Builder voice(String e164, String callId, String kind, int n) {
    Instant now = Instant.now();
    return InboundEvent.newBuilder()
        .setEventId("call:" + callId + ":" + kind + ":" + n)
        .setConversationId("call:" + callId)
        .setSubjectId(subjectOf(e164))
        .setChannel(Channel.CHANNEL_VOICE)
        .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setReplyRoute(
            ReplyRoute.newBuilder()
                .setTopic(Topics.OUTBOUND_VOICE)
                .setPartition(0)
                .setChannelAddress(VOICE_NODE))
        .setUserE164(e164);
  }

  public static InboundEvent callStarted(String e164, String callId, String region) {
    return voice(e164, callId, "started", 0)
        .setCallStarted(
            CallStarted.newBuilder()
                .setCallId(callId)
                .setCalledNumber("+15550000000")
                .setCallerRegion(region))
        .build();
  }

  public static InboundEvent callEnded(String e164, String callId, int seconds) {
    return voice(e164, callId, "ended", 0)
        .setCallEnded(
            CallEnded.newBuilder()
                .setCallId(callId)
                .setReason(CallEnded.Reason.REASON_CALLER_HUNG_UP)
                .setDurationSeconds(seconds))
        .build();
  }

  public static InboundEvent utterance(String e164, String callId, int n, String text) {
    return voice(e164, callId, "said", n)
        .setUserMessage(
            UserMessage.newBuilder()
                .addParts(MessagePart.newBuilder().setText(text))
                .setLanguage("en-US")
                .setExpectsReply(true))
        .build();
  }

  public static InboundEvent interrupted(String e164, String callId, int n, String replyTo) {
    return voice(e164, callId, "interrupted", n)
        .setInterrupted(Interrupted.newBuilder().setInterruptedReplyTo(replyTo).setHeardMs(400))
        .build();
  }

  /** An interruption from a channel that says which words of the reply the caller heard. */
  public static InboundEvent interrupted(
      String e164, String callId, int n, String replyTo, String heardText) {
    return voice(e164, callId, "interrupted", n)
        .setInterrupted(
            Interrupted.newBuilder()
                .setInterruptedReplyTo(replyTo)
                .setHeardMs(900)
                .setHeardText(heardText))
        .build();
  }

  public static String newCallId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  public static String newWamid() {
    return "wamid.HBgL" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }
}
