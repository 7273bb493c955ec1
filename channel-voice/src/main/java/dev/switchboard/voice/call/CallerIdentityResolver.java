package dev.switchboard.voice.call;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.switchboard.voice.sip.NameAddress;
import dev.switchboard.voice.sip.SipConstants;
import dev.switchboard.voice.sip.SipHeaders;
import dev.switchboard.voice.sip.SipProtocolException;
import dev.switchboard.voice.sip.SipUri;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the caller's number from P-Asserted-Identity (RFC 3325, only believed from a trusted
 * trunk), Remote-Party-ID (draft-ietf-sip-privacy, still sent by many carriers), then From, and
 * normalises it to E.164 with libphonenumber. National numbers are read in the trunk's default
 * region.
 */
public final class CallerIdentityResolver {
  private static final Pattern NUMBER_PUNCTUATION = Pattern.compile("[\\s().\\-]");
  private static final Pattern PLAUSIBLE_NUMBER = Pattern.compile("\\+?[0-9]{3,17}");

  private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
  private final String defaultRegion;

  public CallerIdentityResolver(String defaultRegion) {
    this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
  }

  /**
   * @param trustedSource the request came from an allow-listed trunk, so network-asserted identity
   *     headers are believed
   */
  public CallerIdentity resolve(SipHeaders headers, boolean trustedSource) {
    boolean anonymous = privacyRequested(headers);
    if (trustedSource) {
      for (String pai : headers.values(SipConstants.P_ASSERTED_IDENTITY)) {
        Optional<CallerIdentity> id = fromAddress(pai, "P-Asserted-Identity", anonymous);
        if (id.isPresent()) {
          return id.get();
        }
      }
      for (String rpid : headers.values(SipConstants.REMOTE_PARTY_ID)) {
        try {
          NameAddress a = NameAddress.parse(rpid);
          String privacy = a.params().get("privacy");
          boolean hidden = anonymous || (privacy != null && !privacy.equalsIgnoreCase("off"));
          Optional<CallerIdentity> id = fromAddress(rpid, "Remote-Party-ID", hidden);
          if (id.isPresent()) {
            return id.get();
          }
        } catch (SipProtocolException e) {
          // An unreadable RPID is ignored; From is next.
        }
      }
    }
    String from = headers.firstOrNull(SipConstants.FROM);
    if (from != null) {
      Optional<CallerIdentity> id = fromAddress(from, "From", anonymous);
      if (id.isPresent()) {
        return id.get();
      }
      if (isAnonymousAddress(from)) {
        return CallerIdentity.unknown(true);
      }
    }
    return CallerIdentity.unknown(anonymous);
  }

  /** The number a URI names (the called number from the Request-URI or To), in E.164. */
  public Optional<String> e164(String uriText) {
    return number(uriText).map(n -> phoneNumbers.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
  }

  private Optional<CallerIdentity> fromAddress(String value, String source, boolean anonymous) {
    try {
      NameAddress a = NameAddress.parse(value);
      if (isAnonymousAddress(value)) {
        return Optional.empty();
      }
      return number(a.uriText())
          .map(
              n ->
                  new CallerIdentity(
                      Optional.of(phoneNumbers.format(n, PhoneNumberUtil.PhoneNumberFormat.E164)),
                      Optional.ofNullable(phoneNumbers.getRegionCodeForNumber(n)),
                      anonymous,
                      source));
    } catch (SipProtocolException e) {
      return Optional.empty();
    }
  }

  private Optional<PhoneNumber> number(String uriText) {
    SipUri uri;
    try {
      uri = SipUri.parse(uriText);
    } catch (SipProtocolException e) {
      return Optional.empty();
    }
    String raw;
    if (uri.scheme().equals("tel")) {
      raw = uri.userUnescaped();
    } else if (uri.isSip() && !uri.user().isEmpty()) {
      raw = uri.userUnescaped();
      int semi = raw.indexOf(';');
      if (semi >= 0) {
        raw = raw.substring(0, semi);
      }
    } else {
      return Optional.empty();
    }
    String digits = NUMBER_PUNCTUATION.matcher(raw).replaceAll("");
    if (!PLAUSIBLE_NUMBER.matcher(digits).matches()) {
      return Optional.empty();
    }
    try {
      PhoneNumber n = phoneNumbers.parse(digits, defaultRegion);
      return phoneNumbers.isPossibleNumber(n) ? Optional.of(n) : Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  private static boolean privacyRequested(SipHeaders headers) {
    List<String> privacy = headers.values(SipConstants.PRIVACY);
    for (String p : privacy) {
      for (String token : p.split(";")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.equals("id") || t.equals("user") || t.equals("header")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isAnonymousAddress(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    return v.contains("anonymous@")
        || v.contains("anonymous.invalid")
        || v.contains("\"anonymous\"")
        || v.contains("<sip:restricted")
        || v.contains("<sip:unknown@");
  }
}
