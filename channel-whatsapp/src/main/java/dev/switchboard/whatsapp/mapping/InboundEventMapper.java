package dev.switchboard.whatsapp.mapping;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.Location;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.contracts.events.MessagePart;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.contracts.events.ReplyRoute;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.whatsapp.webhook.IncomingMessage;
import dev.switchboard.whatsapp.webhook.MessageContent;
import java.time.Instant;

/** Builds the {@code conversation.inbound} event for one WhatsApp message. */
public final class InboundEventMapper {
  private InboundEventMapper() {}

  public static String eventIdOf(String wamid) {
    return "wa:" + wamid;
  }

  public static String conversationIdOf(String subjectId) {
    return "wa:" + subjectId;
  }

  /**
   * @param transcript text of a voice note when the channel transcribed it, else null
   */
  public static InboundEvent toEvent(
      IncomingMessage message, String phoneNumberId, String subjectId, String transcript) {
    UserMessage.Builder userMessage =
        UserMessage.newBuilder()
            .setProviderMessageId(message.wamid())
            .setExpectsReply(expectsReply(message.content()));
    if (message.contextMessageId() != null) {
      userMessage.setContextProviderMessageId(message.contextMessageId());
    }
    addParts(userMessage, message.content(), transcript);
    InboundEvent.Builder event =
        InboundEvent.newBuilder()
            .setEventId(eventIdOf(message.wamid()))
            .setConversationId(conversationIdOf(subjectId))
            .setSubjectId(subjectId)
            .setChannel(Channel.CHANNEL_WHATSAPP)
            .setOccurredAt(timestamp(message.sentAt()))
            .setReplyRoute(
                ReplyRoute.newBuilder()
                    .setTopic(Topics.OUTBOUND_WHATSAPP)
                    .setPartition(-1)
                    .setChannelAddress(phoneNumberId))
            .setUserMessage(userMessage);
    if (message.waId() != null) {
      event.setUserE164("+" + message.waId());
    }
    return event.build();
  }

  /** Reactions and types we cannot open are recorded; only real messages get an answer. */
  public static boolean expectsReply(MessageContent content) {
    return !(content instanceof MessageContent.Reaction
        || content instanceof MessageContent.Unsupported);
  }

  // Java 17 has no pattern switch; the sealed interface keeps this chain complete.
  private static void addParts(UserMessage.Builder out, MessageContent content, String transcript) {
    if (content instanceof MessageContent.Text text) {
      out.addParts(text(text.body()));
    } else if (content instanceof MessageContent.Media media) {
      MediaPart.Builder part =
          MediaPart.newBuilder()
              .setKind(kindOf(media.kind()))
              .setMimeType(media.mimeType())
              .setProviderMediaId(media.mediaId())
              .setCaption(media.caption())
              .setFileName(media.fileName());
      if (transcript != null) {
        part.setTranscript(transcript);
      }
      out.addParts(MessagePart.newBuilder().setMedia(part));
      if (transcript != null && !transcript.isBlank()) {
        // The transcript is what the person said: it is their message.
        out.addParts(text(transcript));
      } else if (!media.caption().isBlank()) {
        out.addParts(text(media.caption()));
      }
    } else if (content instanceof MessageContent.SharedLocation location) {
      out.addParts(
          MessagePart.newBuilder()
              .setLocation(
                  Location.newBuilder()
                      .setLatitude(location.latitude())
                      .setLongitude(location.longitude())
                      .setName(location.name())
                      .setAddress(location.address())));
    } else if (content instanceof MessageContent.SharedContacts contacts) {
      out.addParts(text("Shared contact: " + String.join("; ", contacts.cards())));
    } else if (content instanceof MessageContent.Choice choice) {
      out.addParts(text(choice.title()));
    } else if (content instanceof MessageContent.Reaction reaction) {
      out.addParts(text("Reacted " + reaction.emoji() + " to " + reaction.reactedMessageId()));
    } else if (content instanceof MessageContent.Unsupported unsupported) {
      out.addParts(text("[unsupported message type: " + unsupported.type() + "]"));
    } else {
      throw new IllegalStateException("Unknown content " + content.getClass());
    }
  }

  /**
   * A reply the channel owes by itself (e.g. "I can't open that yet"), written to the outbound
   * topic like any reply so it is durable, paced and sent at most once.
   */
  public static OutboundEvent channelReply(
      IncomingMessage message, String phoneNumberId, String subjectId, String kind, String text) {
    String inboundId = eventIdOf(message.wamid());
    return OutboundEvent.newBuilder()
        .setEventId(inboundId + ":" + kind)
        .setConversationId(conversationIdOf(subjectId))
        .setSubjectId(subjectId)
        .setChannel(Channel.CHANNEL_WHATSAPP)
        .setOccurredAt(timestamp(Instant.now()))
        .setReplyRoute(
            ReplyRoute.newBuilder()
                .setTopic(Topics.OUTBOUND_WHATSAPP)
                .setPartition(-1)
                .setChannelAddress(phoneNumberId))
        .setReplyMessage(
            ReplyMessage.newBuilder()
                .setInReplyTo(inboundId)
                .setText(text)
                .setContextProviderMessageId(message.wamid()))
        .build();
  }

  /** A channel reply to an inbound event that is already built. */
  public static OutboundEvent channelReply(InboundEvent inbound, String kind, String text) {
    return OutboundEvent.newBuilder()
        .setEventId(inbound.getEventId() + ":" + kind)
        .setConversationId(inbound.getConversationId())
        .setSubjectId(inbound.getSubjectId())
        .setChannel(Channel.CHANNEL_WHATSAPP)
        .setOccurredAt(timestamp(Instant.now()))
        .setReplyRoute(inbound.getReplyRoute())
        .setReplyMessage(
            ReplyMessage.newBuilder()
                .setInReplyTo(inbound.getEventId())
                .setText(text)
                .setContextProviderMessageId(inbound.getUserMessage().getProviderMessageId()))
        .build();
  }

  public static MediaPart.Kind kindOf(MessageContent.MediaKind kind) {
    return switch (kind) {
      case IMAGE -> MediaPart.Kind.KIND_IMAGE;
      case AUDIO -> MediaPart.Kind.KIND_AUDIO;
      case VOICE_NOTE -> MediaPart.Kind.KIND_VOICE_NOTE;
      case VIDEO -> MediaPart.Kind.KIND_VIDEO;
      case DOCUMENT -> MediaPart.Kind.KIND_DOCUMENT;
      case STICKER -> MediaPart.Kind.KIND_STICKER;
    };
  }

  /**
   * Longest text an event carries. WhatsApp's own limit is 4096 characters; anything longer is not
   * a real message, and cutting it keeps every event well under Kafka's 1 MB record limit so a
   * hostile payload can never make Meta redeliver it forever.
   */
  public static final int MAX_TEXT = 65_536;

  private static MessagePart text(String text) {
    String kept = text.length() <= MAX_TEXT ? text : cut(text);
    return MessagePart.newBuilder().setText(kept).build();
  }

  private static String cut(String text) {
    int end = MAX_TEXT;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
