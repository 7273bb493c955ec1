package dev.switchboard.voice.conversation;

/** What the conversation core asks of a call, free of the wire format. */
public sealed interface OutboundCommand {
  /** The call this command is for. */
  String callId();

  /** The event id (dedupe, utterance id, logs). */
  String eventId();

  /** Speak the greeting (not interruptible) and hold the call up to a maximum duration. */
  record Accept(
      String callId, String eventId, String greeting, int maxDurationSeconds, String language)
      implements OutboundCommand {}

  /** Speak the text, then hang up. */
  record Refuse(String callId, String eventId, String text, String reason)
      implements OutboundCommand {}

  /** One sentence of a reply: synthesize now, play after the previous one. */
  record Chunk(
      String callId,
      String eventId,
      String inReplyTo,
      int index,
      String text,
      String language,
      boolean last)
      implements OutboundCommand {}
}
