package dev.switchboard.voice.media;

import dev.switchboard.voice.jitter.JitterBufferStats;
import dev.switchboard.voice.rtp.RtpDropReason;
import java.util.Map;

/**
 * A snapshot of one call's media health, for metrics and the end-of-call log line.
 *
 * @param packetsReceived audio packets received (duplicates included)
 * @param cumulativeLost packets lost from the caller (RFC 3550 A.3)
 * @param interarrivalJitterMillis RFC 3550 A.8 jitter of the caller's stream
 * @param jitterBuffer playout counters
 * @param jitterBufferTargetMillis the jitter buffer's current delay target
 * @param parseDrops malformed datagrams by reason
 * @param unexpectedPayloadTypes packets with a payload type we did not negotiate
 * @param packetsSent RTP packets we sent
 * @param remoteFractionLost loss of our audio as the caller reported it (0..1), -1 if unknown
 * @param remoteJitterMillis jitter of our audio as the caller reported it, -1 if unknown
 * @param roundTripMillis RTCP round trip (RFC 3550 6.4.1), -1 if unknown
 */
public record MediaStats(
    long packetsReceived,
    int cumulativeLost,
    double interarrivalJitterMillis,
    JitterBufferStats jitterBuffer,
    int jitterBufferTargetMillis,
    Map<RtpDropReason, Long> parseDrops,
    long unexpectedPayloadTypes,
    long packetsSent,
    double remoteFractionLost,
    double remoteJitterMillis,
    double roundTripMillis) {}
