package dev.switchboard.voice.call;

import dev.switchboard.voice.sdp.NegotiatedMedia;
import java.time.Instant;
import java.util.Optional;

/**
 * What the media side knows about a call (an immutable snapshot; a new one is delivered when the
 * media changes).
 *
 * @param callId our call id (the SIP Call-ID); the conversation id is {@code "call:" + callId}
 * @param caller who is calling
 * @param calledNumber the number dialled, in E.164, when the Request-URI or To carried one
 * @param trunk the allow-listed trunk it came from, or the digest user, or empty
 * @param media the negotiated audio: remote RTP address, payload types, our RTP port
 * @param startedAt when the INVITE arrived
 */
public record CallSession(
    String callId,
    CallerIdentity caller,
    Optional<String> calledNumber,
    String trunk,
    NegotiatedMedia media,
    Instant startedAt) {

  public CallSession withMedia(NegotiatedMedia newMedia) {
    return new CallSession(callId, caller, calledNumber, trunk, newMedia, startedAt);
  }
}
