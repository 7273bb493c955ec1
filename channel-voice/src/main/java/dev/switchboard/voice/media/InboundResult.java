package dev.switchboard.voice.media;

import dev.switchboard.voice.dtmf.DtmfDigit;
import dev.switchboard.voice.jitter.OfferResult;
import dev.switchboard.voice.rtp.RtpDropReason;
import java.util.List;

/** What {@link CallMedia#onRtp} did with one datagram (for counters and debug logs). */
public sealed interface InboundResult {

  /** Caller audio handed to the jitter buffer. */
  record Audio(OfferResult offer) implements InboundResult {}

  /** A telephone-event packet; {@code digits} are the key presses it completed (often none). */
  record Dtmf(List<DtmfDigit> digits) implements InboundResult {}

  /** Not valid RTP; counted per reason. */
  record Dropped(RtpDropReason reason) implements InboundResult {}

  /** Valid RTP from a source other than the caller's latched one; dropped and counted. */
  record ForeignSource(long ssrc) implements InboundResult {}

  /**
   * Caller audio while the call is on hold: counted for RTCP but neither buffered nor heard (hold
   * music is not speech and must not barge in).
   */
  record OnHold() implements InboundResult {}

  /** Valid RTP with a payload type we did not negotiate (e.g. comfort noise); counted. */
  record UnexpectedPayloadType(int payloadType) implements InboundResult {}
}
