package dev.switchboard.safety.redaction;

import java.math.BigInteger;

/** Check digits that tell real card numbers and IBANs from look-alikes such as order numbers. */
final class Checksums {
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private Checksums() {}

  /** Luhn (mod 10) over a string of ASCII digits. */
  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  /**
   * ISO 13616 IBAN check: move the first four characters to the end, letters to numbers, mod 97.
   */
  static boolean iban(String compact) {
    if (compact.length() < 15 || compact.length() > 34) {
      return false;
    }
    String rearranged = compact.substring(4) + compact.substring(0, 4);
    StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = Character.toUpperCase(rearranged.charAt(i));
      if (c >= '0' && c <= '9') {
        numeric.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        numeric.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(numeric.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }
}
