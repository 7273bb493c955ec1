package dev.switchboard.voice.dtmf;

import java.util.Locale;
import java.util.Optional;

/**
 * Parses the body of a SIP INFO carrying a key press: {@code application/dtmf-relay} ({@code
 * Signal=5} and optional {@code Duration=160} lines, the common Cisco format) and {@code
 * application/dtmf} (just the digit). Anything else, or a body without a valid digit, is empty: the
 * SIP layer answers 415 or 400 accordingly. Limit: bodies over 256 characters are refused.
 */
public final class DtmfInfoBody {

  private static final int MAX_BODY = 256;
  private static final int DEFAULT_DURATION_MILLIS = 100;

  private DtmfInfoBody() {}

  /** Whether this content type is one we understand. */
  public static boolean supports(String contentType) {
    String type = baseType(contentType);
    return type.equals("application/dtmf-relay") || type.equals("application/dtmf");
  }

  /** The key press in the body, if it is a supported type with a valid digit. */
  public static Optional<DtmfDigit> parse(String contentType, String body) {
    if (body == null || body.length() > MAX_BODY || !supports(contentType)) {
      return Optional.empty();
    }
    if (baseType(contentType).equals("application/dtmf")) {
      return digit(body.strip(), DEFAULT_DURATION_MILLIS);
    }
    String signal = null;
    int duration = DEFAULT_DURATION_MILLIS;
    for (String line : body.split("\r?\n")) {
      int equals = line.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String key = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(equals + 1).strip();
      if (key.equals("signal")) {
        signal = value;
      } else if (key.equals("duration")) {
        try {
          duration = Math.max(0, Math.min(60_000, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return signal == null ? Optional.empty() : digit(signal, duration);
  }

  private static Optional<DtmfDigit> digit(String value, int durationMillis) {
    if (value.length() != 1) {
      // Some gateways send the RFC 4733 event number (e.g. "10" for '*').
      try {
        int event = Integer.parseInt(value);
        if (event < 0 || event >= TelephoneEvent.FLASH) {
          return Optional.empty();
        }
        return new TelephoneEvent(event, true, 0, 0)
            .digit()
            .map(c -> new DtmfDigit(c, -1, durationMillis, true));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    char c = Character.toUpperCase(value.charAt(0));
    if ("0123456789*#ABCD".indexOf(c) < 0) {
      return Optional.empty();
    }
    return Optional.of(new DtmfDigit(c, -1, durationMillis, true));
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return base.strip().toLowerCase(Locale.ROOT);
  }
}
