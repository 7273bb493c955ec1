package dev.switchboard.voice.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * What every event of a call carries.
 *
 * @param callId the SIP Call-ID
 * @param subjectId HMAC of the caller's number (empty for anonymous callers); safe to log
 * @param e164 the caller's number, personal data: only ever written into the event, never logged
 * @param calledNumber the number dialled, when known
 * @param region the caller's region, when known
 * @param anonymous the caller withheld their identity
 * @param startedAt when the call began
 */
public record CallFacts(
    String callId,
    String subjectId,
    Optional<String> e164,
    Optional<String> calledNumber,
    Optional<String> region,
    boolean anonymous,
    Instant startedAt) {

  public String conversationId() {
    return "call:" + callId;
  }
}
