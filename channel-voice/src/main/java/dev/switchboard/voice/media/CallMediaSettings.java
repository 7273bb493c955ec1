package dev.switchboard.voice.media;

import dev.switchboard.voice.codec.G711Law;
import dev.switchboard.voice.jitter.JitterBufferConfig;
import dev.switchboard.voice.vad.VadConfig;

/**
 * What signalling negotiated and how the media path is tuned for one call.
 *
 * @param law the G.711 law chosen in SDP (PCMU or PCMA)
 * @param telephoneEventPayloadType the negotiated RFC 4733 payload type (e.g. 101), -1 if none
 * @param localSsrc our random SSRC
 * @param cname RTCP CNAME, e.g. {@code voice@node-1} (never a phone number)
 * @param jitterBuffer jitter buffer limits
 * @param vad VAD and endpointing
 * @param echoGuardMillis barge-in ignores speech this soon after our playback starts
 * @param preRollMillis audio before speech onset sent to the recognizer
 * @param recognizerSendMillis audio gathered into each message to the recognizer while the caller
 *     speaks (a message per 20 ms frame costs both services a gRPC message each)
 * @param rtcpIntervalMillis mean RTCP report interval (RFC 3550 minimum 5000), randomised 0.5-1.5x
 */
public record CallMediaSettings(
    G711Law law,
    int telephoneEventPayloadType,
    long localSsrc,
    String cname,
    JitterBufferConfig jitterBuffer,
    VadConfig vad,
    int echoGuardMillis,
    int preRollMillis,
    int recognizerSendMillis,
    int rtcpIntervalMillis) {

  /** Telephone defaults for a negotiated law and DTMF payload type. */
  public static CallMediaSettings defaults(
      G711Law law, int telephoneEventPayloadType, long localSsrc, String cname) {
    return new CallMediaSettings(
        law,
        telephoneEventPayloadType,
        localSsrc,
        cname,
        JitterBufferConfig.defaults(),
        VadConfig.telephone(),
        200,
        300,
        100,
        5000);
  }
}
