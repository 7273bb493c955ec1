package dev.switchboard.safety.redaction;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in transcript text with typed placeholders: e-mail addresses, IBANs
 * (mod-97 checked), payment card numbers (Luhn checked), US social security numbers, and phone
 * numbers (libphonenumber, plus numbers spoken as words as voice transcripts write them).
 *
 * <p>Passes run in that order on the output of the previous one; placeholders contain no digits, so
 * a later pass never re-reads an earlier replacement. Plain Java, thread-safe, no Quarkus types.
 */
public final class Redactor {
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  /** Two letters, two check digits, then 11..30 alphanumerics optionally grouped by spaces. */
  private static final Pattern IBAN_CANDIDATE =
      Pattern.compile("\\b[A-Za-z]{2}\\d{2}(?:[ ]?[A-Za-z0-9]){11,30}");

  /** 13..19 digits, optionally separated by single spaces or dashes. */
  private static final Pattern CARD_CANDIDATE =
      Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}");

  private static final Pattern SSN_SEPARATED =
      Pattern.compile(
          "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\d-])");

  private static final Pattern SSN_BARE_WITH_CONTEXT =
      Pattern.compile(
          "(?i)(?:ssn|social security(?: number)?|soc\\.? sec\\.?)\\D{0,20}?"
              + "((?<!\\d)(?!000|666|9\\d\\d)\\d{3}(?!00)\\d{2}(?!0000)\\d{4}(?!\\d))");

  private static final Map<String, String> DIGIT_WORDS =
      Map.ofEntries(
          Map.entry("zero", "0"),
          Map.entry("oh", "0"),
          Map.entry("o", "0"),
          Map.entry("one", "1"),
          Map.entry("two", "2"),
          Map.entry("three", "3"),
          Map.entry("four", "4"),
          Map.entry("five", "5"),
          Map.entry("six", "6"),
          Map.entry("seven", "7"),
          Map.entry("eight", "8"),
          Map.entry("nine", "9"));

  /** A word or digit group that can be part of a spoken number. */
  private static final Pattern SPOKEN_TOKEN =
      Pattern.compile(
          "(?i)\\b(zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple"
              + "|hundred|thousand|plus|\\d{1,4})\\b");

  /** What may separate the tokens of one spoken number. */
  private static final Pattern SPOKEN_GAP =
      Pattern.compile("[\\s,.\\-()]*(?:and\\s+)?[\\s,.\\-()]*");

  private static final int MIN_SPOKEN_DIGITS = 7;

  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
  private final String defaultRegion;

  /**
   * @param defaultRegion ISO 3166-1 alpha-2 region used for numbers written without a country code
   */
  public Redactor(String defaultRegion) {
    this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
  }

  public Redaction redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Redaction(text == null ? "" : text, List.of());
    }
    List<PiiType> found = new ArrayList<>();
    String out = replaceAll(text, EMAIL, PiiType.EMAIL, found);
    out = replaceIbans(out, found);
    out = replaceCards(out, found);
    out = replaceAll(out, SSN_SEPARATED, PiiType.SSN, found);
    out = replaceGroup(out, SSN_BARE_WITH_CONTEXT, PiiType.SSN, found);
    out = replaceWrittenPhones(out, found);
    out = replaceSpokenNumbers(out, found);
    return new Redaction(out, found);
  }

  private static String replaceAll(
      String text, Pattern pattern, PiiType type, List<PiiType> found) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    do {
      sb.append(text, last, m.start()).append(type.placeholder());
      found.add(type);
      last = m.end();
    } while (m.find());
    return sb.append(text, last, text.length()).toString();
  }

  private static String replaceGroup(
      String text, Pattern pattern, PiiType type, List<PiiType> found) {
    Matcher m = pattern.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      sb.append(text, last, m.start(1)).append(type.placeholder());
      found.add(type);
      last = m.end(1);
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  private static String replaceIbans(String text, List<PiiType> found) {
    Matcher m = IBAN_CANDIDATE.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    int from = 0;
    while (from < text.length() && m.find(from)) {
      int end = longestValidIbanEnd(text, m.start(), m.end());
      if (end < 0) {
        from = m.start() + 1;
        continue;
      }
      sb.append(text, last, m.start()).append(PiiType.IBAN.placeholder());
      found.add(PiiType.IBAN);
      last = end;
      from = end;
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  /**
   * The candidate may run into the next word ("DE89 3704 0044 0532 0130 00 thanks"); shrink it to
   * the longest prefix that ends on a word boundary and passes the mod-97 check.
   */
  private static int longestValidIbanEnd(String text, int start, int end) {
    for (int e = end; e > start; e--) {
      boolean boundary = e == text.length() || !Character.isLetterOrDigit(text.charAt(e));
      if (!boundary || text.charAt(e - 1) == ' ') {
        continue;
      }
      String compact = text.substring(start, e).replace(" ", "");
      if (compact.length() < 15) {
        return -1;
      }
      if (Checksums.iban(compact)) {
        return e;
      }
    }
    return -1;
  }

  private static String replaceCards(String text, List<PiiType> found) {
    Matcher m = CARD_CANDIDATE.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && Checksums.luhn(digits)) {
        sb.append(text, last, m.start()).append(PiiType.CARD.placeholder());
        found.add(PiiType.CARD);
        last = m.end();
      }
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  private String replaceWrittenPhones(String text, List<PiiType> found) {
    Iterable<PhoneNumberMatch> matches =
        phones.findNumbers(text, defaultRegion, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    for (PhoneNumberMatch match : matches) {
      sb.append(text, last, match.start()).append(PiiType.PHONE.placeholder());
      found.add(PiiType.PHONE);
      last = match.end();
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  /**
   * Voice transcripts spell numbers out: "five five five, one two three, four five six seven",
   * "plus four four double seven ...", "one eight hundred ...". A run of such tokens is turned into
   * digits and replaced when it is a valid phone number or a Luhn-valid card number.
   */
  private String replaceSpokenNumbers(String text, List<PiiType> found) {
    Matcher token = SPOKEN_TOKEN.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    int searchFrom = 0;
    while (token.find(searchFrom)) {
      SpokenRun run = readRun(text, token.start());
      searchFrom = Math.max(run.end(), token.end());
      if (!run.hasWord() || run.digits().length() < MIN_SPOKEN_DIGITS) {
        continue;
      }
      PiiType type = classifySpoken(run);
      if (type == null) {
        continue;
      }
      sb.append(text, last, run.start()).append(type.placeholder());
      found.add(type);
      last = run.end();
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  private record SpokenRun(int start, int end, String digits, boolean plus, boolean hasWord) {}

  private static SpokenRun readRun(String text, int start) {
    Matcher token = SPOKEN_TOKEN.matcher(text);
    Matcher gap = SPOKEN_GAP.matcher(text);
    StringBuilder digits = new StringBuilder();
    boolean plus = false;
    boolean hasWord = false;
    int repeat = 1;
    int pos = start;
    int end = start;
    while (pos < text.length() && token.region(pos, text.length()).lookingAt()) {
      String t = token.group(1).toLowerCase(Locale.ROOT);
      switch (t) {
        case "plus" -> {
          if (digits.length() > 0) {
            return new SpokenRun(start, end, digits.toString(), plus, hasWord);
          }
          plus = true;
          hasWord = true;
        }
        case "double" -> {
          repeat = 2;
          hasWord = true;
        }
        case "triple" -> {
          repeat = 3;
          hasWord = true;
        }
        case "hundred" -> {
          digits.append("00");
          hasWord = true;
        }
        case "thousand" -> {
          digits.append("000");
          hasWord = true;
        }
        default -> {
          String d = DIGIT_WORDS.get(t);
          if (d != null) {
            hasWord = true;
          } else {
            d = t;
          }
          digits.append(d.repeat(repeat));
          repeat = 1;
        }
      }
      end = token.end();
      pos = end;
      if (gap.region(pos, text.length()).lookingAt()) {
        pos = gap.end();
      }
    }
    // A trailing "double"/"plus" that introduced nothing is not part of the number.
    return new SpokenRun(start, end, digits.toString(), plus, hasWord);
  }

  private PiiType classifySpoken(SpokenRun run) {
    String digits = run.digits();
    if (isValidPhone(run.plus() ? "+" + digits : digits)
        || (!run.plus() && isValidPhone("+" + digits))) {
      return PiiType.PHONE;
    }
    if (digits.length() >= 13 && digits.length() <= 19 && Checksums.luhn(digits)) {
      return PiiType.CARD;
    }
    return null;
  }

  private boolean isValidPhone(String number) {
    try {
      PhoneNumber parsed = phones.parse(number, defaultRegion);
      return phones.isValidNumber(parsed);
    } catch (NumberParseException e) {
      return false;
    }
  }
}
