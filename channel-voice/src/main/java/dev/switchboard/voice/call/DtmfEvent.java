package dev.switchboard.voice.call;

/**
 * A key press.
 *
 * @param digit one of {@code 0-9 * # A-D}
 * @param durationMs as signalled, or 0 when unknown
 * @param source how it arrived
 */
public record DtmfEvent(char digit, int durationMs, Source source) {
  /** Signalling path of the digit. */
  public enum Source {
    SIP_INFO,
    RFC4733
  }

  public static boolean isDigit(char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
  }
}
