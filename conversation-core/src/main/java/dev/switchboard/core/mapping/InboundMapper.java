package dev.switchboard.core.mapping;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.contracts.events.MessagePart;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.InboundCommand;
import dev.switchboard.core.conversation.ReplyRoute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the bytes of a {@code conversation.inbound} record into a command, or says why not. */
public final class InboundMapper {

  /** The outcome of reading one record. */
  public sealed interface Result {
    record Parsed(InboundCommand command) implements Result {}

    /** The record cannot be processed; {@code reason} goes to the dead-letter topic. */
    record Rejected(String reason) implements Result {}
  }

  private InboundMapper() {}

  public static Result read(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return new Result.Rejected("empty payload");
    }
    InboundEvent event;
    try {
      event = InboundEvent.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      return new Result.Rejected("not an InboundEvent protobuf: " + e.getMessage());
    }
    return toCommand(event);
  }

  static Result toCommand(InboundEvent event) {
    if (event.getEventId().isBlank()) {
      return new Result.Rejected("event_id is missing");
    }
    if (event.getConversationId().isBlank()) {
      return new Result.Rejected("conversation_id is missing");
    }
    if (event.getSubjectId().isBlank()) {
      return new Result.Rejected("subject_id is missing");
    }
    ChannelKind channel;
    if (event.getChannel() == Channel.CHANNEL_WHATSAPP) {
      channel = ChannelKind.WHATSAPP;
    } else if (event.getChannel() == Channel.CHANNEL_VOICE) {
      channel = ChannelKind.VOICE;
    } else {
      return new Result.Rejected("unknown channel " + event.getChannelValue());
    }
    if (!event.hasReplyRoute() || event.getReplyRoute().getTopic().isBlank()) {
      return new Result.Rejected("reply_route.topic is missing");
    }
    EventMeta meta =
        new EventMeta(
            event.getEventId(),
            event.getConversationId(),
            event.getSubjectId(),
            channel,
            event.hasOccurredAt() ? toInstant(event.getOccurredAt()) : Instant.now(),
            new ReplyRoute(
                event.getReplyRoute().getTopic(),
                event.getReplyRoute().getPartition(),
                event.getReplyRoute().getChannelAddress()),
            event.getUserE164().isBlank() ? Optional.empty() : Optional.of(event.getUserE164()));
    switch (event.getPayloadCase()) {
      case USER_MESSAGE:
        return userSaid(meta, event.getUserMessage());
      case CALL_STARTED:
        return new Result.Parsed(
            new InboundCommand.CallStart(
                meta,
                event.getCallStarted().getCallId(),
                event.getCallStarted().getCallerRegion(),
                event.getCallStarted().getCallerAnonymous()));
      case CALL_ENDED:
        return new Result.Parsed(
            new InboundCommand.CallEnd(
                meta,
                event.getCallEnded().getCallId(),
                event.getCallEnded().getReason().name(),
                event.getCallEnded().getDurationSeconds()));
      case INTERRUPTED:
        return new Result.Parsed(
            new InboundCommand.Interruption(
                meta,
                event.getInterrupted().getInterruptedReplyTo(),
                event.getInterrupted().getHeardMs(),
                event.getInterrupted().hasHeardText()
                    ? event.getInterrupted().getHeardText()
                    : null));
      case DTMF:
        return new Result.Parsed(
            new InboundCommand.KeypadDigits(meta, event.getDtmf().getDigits()));
      case PAYLOAD_NOT_SET:
      default:
        return new Result.Rejected("payload is missing or of an unknown kind");
    }
  }

  private static Result userSaid(EventMeta meta, UserMessage message) {
    StringBuilder text = new StringBuilder();
    List<String> media = new ArrayList<>();
    for (MessagePart part : message.getPartsList()) {
      switch (part.getPartCase()) {
        case TEXT:
          appendLine(text, part.getText());
          break;
        case MEDIA:
          MediaPart m = part.getMedia();
          media.add(m.getKind().name() + ":" + m.getMimeType() + ":" + m.getProviderMediaId());
          appendLine(text, m.getTranscript());
          appendLine(text, m.getCaption());
          if (m.getTranscript().isBlank() && m.getCaption().isBlank()) {
            appendLine(text, "[" + describe(m.getKind()) + "]");
          }
          break;
        case LOCATION:
          appendLine(
              text,
              "[shared a location: "
                  + part.getLocation().getName()
                  + " "
                  + part.getLocation().getAddress()
                  + " ("
                  + part.getLocation().getLatitude()
                  + ", "
                  + part.getLocation().getLongitude()
                  + ")]");
          break;
        default:
          break;
      }
    }
    if (text.length() == 0 && media.isEmpty()) {
      return new Result.Rejected("user_message has no text, media or location");
    }
    return new Result.Parsed(
        new InboundCommand.UserSaid(
            meta,
            text.toString(),
            List.copyOf(media),
            message.getLanguage(),
            message.getProviderMessageId(),
            message.getExpectsReply(),
            message.getLocale(),
            message.getTimeZone()));
  }

  private static String describe(MediaPart.Kind kind) {
    return switch (kind) {
      case KIND_IMAGE -> "sent an image";
      case KIND_AUDIO, KIND_VOICE_NOTE -> "sent an audio message that could not be transcribed";
      case KIND_VIDEO -> "sent a video";
      case KIND_DOCUMENT -> "sent a document";
      case KIND_STICKER -> "sent a sticker";
      default -> "sent an attachment";
    };
  }

  private static void appendLine(StringBuilder text, String line) {
    if (line == null || line.isBlank()) {
      return;
    }
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(line);
  }

  private static Instant toInstant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }
}
