package dev.switchboard.core.conversation;

import java.util.List;

/** An inbound event as the core understands it, after the protobuf edge. */
public sealed interface InboundCommand {
  EventMeta meta();

  /** Control events act at once on the turn in flight instead of queueing behind it. */
  default boolean isControl() {
    return this instanceof Interruption || this instanceof CallEnd;
  }

  /** Something the person said or sent. */
  record UserSaid(
      EventMeta meta,
      String text,
      List<String> mediaRefs,
      String language,
      String providerMessageId,
      boolean expectsReply,
      String locale,
      String timeZone)
      implements InboundCommand {}

  /** A call reached a voice node; the core must answer with a directive. */
  record CallStart(EventMeta meta, String callId, String callerRegion, boolean callerAnonymous)
      implements InboundCommand {}

  /** A call is over; usage is counted and the generation in flight stops. */
  record CallEnd(EventMeta meta, String callId, String reason, int durationSeconds)
      implements InboundCommand {}

  /**
   * The caller spoke over the assistant.
   *
   * @param heardText the words of the reply the caller heard, or null when the channel did not say
   */
  record Interruption(EventMeta meta, String interruptedReplyTo, int heardMs, String heardText)
      implements InboundCommand {}

  /** Keypad digits. */
  record KeypadDigits(EventMeta meta, String digits) implements InboundCommand {}
}
