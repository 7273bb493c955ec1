package dev.switchboard.safety.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our table of tricky cases. Test numbers: 4111 1111 1111 1111 and 5555 5555 5555 4444 are the card
 * networks' published test PANs; DE89 3704 0044 0532 0130 00 and GB82 WEST 1234 5698 7654 32 are
 * the standard example IBANs; +44 20 7946 0958 is Ofcom's drama range.
 */
class RedactorTest {
  private final Redactor redactor = new Redactor("US");

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # e-mail
          write to jane.doe+spam@mail.example.co.uk now  | write to [EMAIL] now
          JOHN_SMITH@EXAMPLE.COM                          | [EMAIL]
          # cards: Luhn-valid with and without separators
          my card is 4111 1111 1111 1111 ok               | my card is [CARD] ok
          card 4111-1111-1111-1111                        | card [CARD]
          5555555555554444                                | [CARD]
          amex 3782 822463 10005 thanks                   | amex [CARD] thanks
          # look-alikes that fail Luhn stay as they are
          order number 4111111111111112 shipped          | order number 4111111111111112 shipped
          tracking 1234 5678 9012 3456                    | tracking 1234 5678 9012 3456
          # IBANs: grouped, compact, followed by words; a wrong check digit is kept
          IBAN DE89 3704 0044 0532 0130 00 thanks         | IBAN [IBAN] thanks
          GB82WEST12345698765432                          | [IBAN]
          pay to GB82 WEST 1234 5698 7654 32.             | pay to [IBAN].
          DE00 3704 0044 0532 0130 00                     | DE00 3704 0044 0532 0130 00
          # US social security numbers
          ssn 123-45-6789                                 | ssn [SSN]
          my social security number is 123456789          | my social security number is [SSN]
          # invalid SSN area numbers are not SSNs
          ref 000-12-3456                                 | ref 000-12-3456
          # phone numbers written with digits, national and international
          call (415) 555-0132 tonight                     | call [PHONE] tonight
          call +44 20 7946 0958                           | call [PHONE]
          +49 30 901820                                   | [PHONE]
          ring 020 7946 0958 from London                  | ring 020 7946 0958 from London
          # phone numbers spoken as words (voice transcripts)
          it's four one five, five five five, zero one three two | it's [PHONE]
          my number is two one two five five five oh one nine nine | my number is [PHONE]
          call plus four four two oh seven nine four six oh nine five eight | call [PHONE]
          one eight hundred five five five oh one nine nine | [PHONE]
          four one five double five five oh one three two  | [PHONE]
          # card number spoken as words
          four one one one one one one one one one one one one one one one | [CARD]
          # ordinary counting and small numbers are left alone
          I have two kids and one dog                     | I have two kids and one dog
          one two three four                              | one two three four
          meet at 10 30 on the 5th                        | meet at 10 30 on the 5th
          the year 2024 had 365 days                      | the year 2024 had 365 days
          """)
  void redactsWithTypedPlaceholders(String input, String expected) {
    assertThat(redactor.redact(input).text()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          mail a@b.io and call 415-555-0132 | EMAIL,PHONE
          4111111111111111 and 123-45-6789  | CARD,SSN
          """)
  void reportsWhatItFound(String input, String types) {
    assertThat(redactor.redact(input).found().stream().map(Enum::name).toList())
        .containsExactly(types.split(","));
  }

  @org.junit.jupiter.api.Test
  void emptyAndNullAreSafe() {
    assertThat(redactor.redact("").text()).isEmpty();
    assertThat(redactor.redact(null).text()).isEmpty();
  }
}
