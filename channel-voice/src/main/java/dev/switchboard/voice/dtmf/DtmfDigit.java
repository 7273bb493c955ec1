package dev.switchboard.voice.dtmf;

/**
 * A key the caller pressed, reported once per press.
 *
 * @param digit one of {@code 0-9 * # A-D}
 * @param rtpTimestamp the event's start timestamp (identifies the press within the stream)
 * @param durationMillis how long the key was held, as far as the packets told us
 * @param endSeen false when the end packets were all lost and the press was closed by a later event
 *     or a flush
 */
public record DtmfDigit(char digit, long rtpTimestamp, int durationMillis, boolean endSeen) {}
