package dev.switchboard.voice.call;

import java.util.List;
import java.util.Optional;

/**
 * Behaviour switches of the user agent, in plain Java (the Quarkus config maps onto this).
 *
 * @param codecPreference {@code PCMU}, {@code PCMA} in preference order
 * @param telephoneEventPayloadType payload type we offer for RFC 4733
 * @param ptimeMs packet time we offer and answer
 * @param mediaAddress address written in SDP c= lines
 * @param ringTimeMs delay between 180 Ringing and 200 OK
 * @param retryAfterSeconds Retry-After on 503 (capacity, draining, rate limit)
 * @param sessionExpiresSeconds session interval we ask for when the caller supports timers but sent
 *     none; 0 disables session timers unless the caller asks
 * @param minSessionExpiresSeconds Min-SE; smaller requested intervals get 422
 * @param rejectAnonymous answer anonymous callers with 433 instead of taking the call
 * @param transferTarget where REFER sends the caller when the transfer digit is pressed
 * @param transferDigit the DTMF digit (SIP INFO) that triggers the transfer
 * @param maxCallDurationSeconds hard cap per call; BYE with TIME_LIMIT when reached
 * @param userAgent Server / User-Agent header value
 */
public record UserAgentSettings(
    List<String> codecPreference,
    int telephoneEventPayloadType,
    int ptimeMs,
    String mediaAddress,
    long ringTimeMs,
    int retryAfterSeconds,
    int sessionExpiresSeconds,
    int minSessionExpiresSeconds,
    boolean rejectAnonymous,
    Optional<String> transferTarget,
    Optional<Character> transferDigit,
    int maxCallDurationSeconds,
    String userAgent) {}
