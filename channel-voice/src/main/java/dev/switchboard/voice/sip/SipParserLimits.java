package dev.switchboard.voice.sip;

/**
 * Bounds the parser enforces before it allocates anything proportional to the input.
 *
 * @param maxMessageBytes whole message, start line to end of body; UDP datagrams above it are
 *     rejected (513) and a TCP stream whose message would exceed it is closed
 * @param maxHeaders header field lines per message (after unfolding)
 * @param maxLineLength bytes in one physical line, and in one header after unfolding
 */
public record SipParserLimits(int maxMessageBytes, int maxHeaders, int maxLineLength) {
  /**
   * 64 KiB messages, 128 headers, 8 KiB lines: far above what trunks send, small enough to bound
   * memory.
   */
  public static final SipParserLimits DEFAULT = new SipParserLimits(65_535, 128, 8_192);

  public SipParserLimits {
    if (maxMessageBytes < 256 || maxHeaders < 8 || maxLineLength < 64) {
      throw new IllegalArgumentException("SIP parser limits too small to parse any message");
    }
  }
}
