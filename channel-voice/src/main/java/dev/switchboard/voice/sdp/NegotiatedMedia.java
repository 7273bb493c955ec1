package dev.switchboard.voice.sdp;

/**
 * The audio stream both sides agreed on.
 *
 * @param remoteAddress where to send RTP (the peer's c= address)
 * @param remotePort the peer's RTP port
 * @param localPort our RTP port
 * @param payloadType the agreed audio payload type
 * @param codec encoding name, {@code PCMU} or {@code PCMA}
 * @param telephoneEventPayloadType RFC 4733 payload type, or -1 when the peer did not offer it
 * @param ptimeMs packet duration
 * @param direction our direction: {@code SENDRECV} normally, {@code RECVONLY}/{@code INACTIVE} when
 *     the caller holds the call
 */
public record NegotiatedMedia(
    String remoteAddress,
    int remotePort,
    int localPort,
    int payloadType,
    String codec,
    int telephoneEventPayloadType,
    int ptimeMs,
    MediaDirection direction) {

  /** True when the peer put the call on hold (we must not expect audio, and should not send). */
  public boolean onHold() {
    return direction == MediaDirection.RECVONLY
        || direction == MediaDirection.INACTIVE
        || "0.0.0.0".equals(remoteAddress);
  }
}
