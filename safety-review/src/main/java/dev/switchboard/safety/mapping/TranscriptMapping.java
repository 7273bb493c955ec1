package dev.switchboard.safety.mapping;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.ErasureRequest;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.safety.transcript.CompletedTurn;
import java.time.Instant;

/** Converts Kafka payloads into domain records; rejects what cannot be processed. */
public final class TranscriptMapping {
  private TranscriptMapping() {}

  public static CompletedTurn parseTurn(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new InvalidEventException("empty payload");
    }
    TranscriptTurn turn;
    try {
      turn = TranscriptTurn.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException("not a TranscriptTurn protobuf: " + e.getMessage(), e);
    }
    require(!turn.getEventId().isBlank(), "event_id is missing");
    require(!turn.getConversationId().isBlank(), "conversation_id is missing");
    require(!turn.getSubjectId().isBlank(), "subject_id is missing");
    return new CompletedTurn(
        turn.getEventId(),
        turn.getConversationId(),
        turn.getSubjectId(),
        channelName(turn.getChannel()),
        turn.getTurnIndex(),
        turn.getUserText(),
        turn.getAssistantText(),
        instant(turn.hasStartedAt() ? turn.getStartedAt() : null),
        instant(turn.hasCompletedAt() ? turn.getCompletedAt() : null),
        turn.getInterrupted(),
        turn.getModel(),
        turn.getLanguage());
  }

  /** The subject id of an erasure request. */
  public static String parseErasureSubject(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new InvalidEventException("empty payload");
    }
    ErasureRequest request;
    try {
      request = ErasureRequest.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException("not an ErasureRequest protobuf: " + e.getMessage(), e);
    }
    require(!request.getSubjectId().isBlank(), "subject_id is missing");
    return request.getSubjectId();
  }

  /** The event id of an erasure request (already validated by {@link #parseErasureSubject}). */
  public static String parseErasureEventId(byte[] payload) {
    try {
      return ErasureRequest.parseFrom(payload).getEventId();
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException("not an ErasureRequest protobuf: " + e.getMessage(), e);
    }
  }

  static String channelName(Channel channel) {
    return switch (channel) {
      case CHANNEL_VOICE -> "voice";
      case CHANNEL_WHATSAPP -> "whatsapp";
      case CHANNEL_UNSPECIFIED, UNRECOGNIZED -> "unknown";
    };
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  private static void require(boolean condition, String reason) {
    if (!condition) {
      throw new InvalidEventException(reason);
    }
  }
}
