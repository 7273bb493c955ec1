package dev.switchboard.safety;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.TranscriptTurn;
import java.time.Instant;

/** Builds TranscriptTurn payloads as conversation-core writes them. */
public final class TestTurns {
  private TestTurns() {}

  public static TranscriptTurn turn(
      String conversationId, int index, String subjectId, String userText, String assistantText) {
    Instant now = Instant.now();
    String inbound = conversationId + ":msg:" + index;
    return TranscriptTurn.newBuilder()
        .setEventId(inbound + ":transcript")
        .setConversationId(conversationId)
        .setSubjectId(subjectId)
        .setChannel(
            conversationId.startsWith("call:") ? Channel.CHANNEL_VOICE : Channel.CHANNEL_WHATSAPP)
        .setTurnIndex(index)
        .setUserText(userText)
        .setAssistantText(assistantText)
        .setStartedAt(ts(now.minusSeconds(2)))
        .setCompletedAt(ts(now))
        .setModel("scripted")
        .setLanguage("en")
        .build();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
