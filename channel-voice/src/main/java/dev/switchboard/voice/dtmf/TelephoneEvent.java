package dev.switchboard.voice.dtmf;

import java.util.Optional;

/**
 * The RFC 4733 telephone-event payload (section 2.3): event code, end bit, volume and duration.
 *
 * @param event 0..255; 0..15 are DTMF digits, 16 is flash
 * @param end the E bit: this packet ends the event
 * @param volume 0..63, power level in -dBm0
 * @param duration 0..65535 in RTP timestamp units since the event's start timestamp
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {

  /** Octets of the payload on the wire. */
  public static final int LENGTH = 4;

  /** Highest DTMF-related event code (flash). */
  public static final int FLASH = 16;

  private static final String DIGITS = "0123456789*#ABCD";

  public TelephoneEvent {
    if (event < 0
        || event > 255
        || volume < 0
        || volume > 63
        || duration < 0
        || duration > 0xFFFF) {
      throw new IllegalArgumentException("telephone-event field out of range");
    }
  }

  /**
   * Parses a payload. Returns empty when it is shorter than 4 octets; extra octets (RFC 4733 allows
   * several events per packet only with redundancy, which we do not negotiate) are ignored.
   */
  public static Optional<TelephoneEvent> parse(byte[] payload) {
    if (payload.length < LENGTH) {
      return Optional.empty();
    }
    int event = payload[0] & 0xFF;
    boolean end = (payload[1] & 0x80) != 0;
    int volume = payload[1] & 0x3F;
    int duration = ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    return Optional.of(new TelephoneEvent(event, end, volume, duration));
  }

  /** Writes the 4-octet payload. */
  public byte[] serialize() {
    return new byte[] {
      (byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >>> 8), (byte) duration
    };
  }

  /** The DTMF character for this event, or empty for flash and non-DTMF events. */
  public Optional<Character> digit() {
    return event < DIGITS.length() ? Optional.of(DIGITS.charAt(event)) : Optional.empty();
  }

  /** The event code for a DTMF character {@code 0-9 * # A-D}. */
  public static int eventCodeOf(char digit) {
    int code = DIGITS.indexOf(Character.toUpperCase(digit));
    if (code < 0) {
      throw new IllegalArgumentException("not a DTMF digit: " + digit);
    }
    return code;
  }
}
