package dev.switchboard.voice.sip;

/** What the parser made of some bytes. It never throws; every failure is a {@link Malformed}. */
public sealed interface SipParseResult {

  /** A complete, grammatically valid message. */
  record Parsed(SipMessage message) implements SipParseResult {}

  /**
   * Input that is not a valid SIP message.
   *
   * @param status the response code to send (400, 505, 513)
   * @param reason short text for the reason phrase / Warning; never contains peer data
   * @param partial the request as far as it could be read, when a response can be addressed (it has
   *     the start line and headers); {@code null} otherwise, and then the input is a counted drop
   * @param fatal on a stream, the framing is lost and the connection must be closed
   */
  record Malformed(int status, String reason, SipRequest partial, boolean fatal)
      implements SipParseResult {}

  /** A stream needs more bytes before a message is complete. */
  record Incomplete() implements SipParseResult {}
}
