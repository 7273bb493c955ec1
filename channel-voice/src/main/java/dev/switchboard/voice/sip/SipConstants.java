package dev.switchboard.voice.sip;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header names, methods and tokens of RFC 3261 and the extensions this user agent speaks. */
public final class SipConstants {
  private SipConstants() {}

  public static final String SIP_VERSION = "SIP/2.0";

  /** RFC 3261 magic cookie every compliant branch starts with. */
  public static final String BRANCH_COOKIE = "z9hG4bK";

  public static final String INVITE = "INVITE";
  public static final String ACK = "ACK";
  public static final String BYE = "BYE";
  public static final String CANCEL = "CANCEL";
  public static final String OPTIONS = "OPTIONS";
  public static final String INFO = "INFO";
  public static final String UPDATE = "UPDATE";
  public static final String REFER = "REFER";
  public static final String NOTIFY = "NOTIFY";
  public static final String PRACK = "PRACK";
  public static final String REGISTER = "REGISTER";
  public static final String SUBSCRIBE = "SUBSCRIBE";
  public static final String MESSAGE = "MESSAGE";
  public static final String PUBLISH = "PUBLISH";

  /** Methods this user agent implements (advertised in Allow). */
  public static final String ALLOW =
      "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REFER, NOTIFY";

  /** Methods defined by SIP RFCs that we know but do not implement: 405 instead of 501. */
  public static final Set<String> KNOWN_UNSUPPORTED =
      Set.of(REGISTER, SUBSCRIBE, MESSAGE, PUBLISH, PRACK);

  public static final String VIA = "Via";
  public static final String FROM = "From";
  public static final String TO = "To";
  public static final String CALL_ID = "Call-ID";
  public static final String CSEQ = "CSeq";
  public static final String CONTACT = "Contact";
  public static final String MAX_FORWARDS = "Max-Forwards";
  public static final String CONTENT_LENGTH = "Content-Length";
  public static final String CONTENT_TYPE = "Content-Type";
  public static final String ROUTE = "Route";
  public static final String RECORD_ROUTE = "Record-Route";
  public static final String SUPPORTED = "Supported";
  public static final String REQUIRE = "Require";
  public static final String UNSUPPORTED = "Unsupported";
  public static final String ALLOW_HEADER = "Allow";
  public static final String SESSION_EXPIRES = "Session-Expires";
  public static final String MIN_SE = "Min-SE";
  public static final String RETRY_AFTER = "Retry-After";
  public static final String USER_AGENT = "User-Agent";
  public static final String SERVER = "Server";
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
  public static final String AUTHORIZATION = "Authorization";
  public static final String P_ASSERTED_IDENTITY = "P-Asserted-Identity";
  public static final String REMOTE_PARTY_ID = "Remote-Party-ID";
  public static final String PRIVACY = "Privacy";
  public static final String REFER_TO = "Refer-To";
  public static final String REFERRED_BY = "Referred-By";
  public static final String EVENT = "Event";
  public static final String SUBSCRIPTION_STATE = "Subscription-State";
  public static final String WARNING = "Warning";
  public static final String ACCEPT = "Accept";

  /** RFC 3261 §7.3.3 and later RFCs: compact form to full name. */
  public static final Map<Character, String> COMPACT_FORMS =
      Map.ofEntries(
          Map.entry('i', CALL_ID),
          Map.entry('m', CONTACT),
          Map.entry('e', "Content-Encoding"),
          Map.entry('l', CONTENT_LENGTH),
          Map.entry('c', CONTENT_TYPE),
          Map.entry('f', FROM),
          Map.entry('s', "Subject"),
          Map.entry('k', SUPPORTED),
          Map.entry('t', TO),
          Map.entry('v', VIA),
          Map.entry('o', EVENT),
          Map.entry('r', REFER_TO),
          Map.entry('b', REFERRED_BY),
          Map.entry('x', SESSION_EXPIRES),
          Map.entry('u', "Allow-Events"),
          Map.entry('a', "Accept-Contact"),
          Map.entry('j', "Reject-Contact"),
          Map.entry('d', "Request-Disposition"),
          Map.entry('y', "Identity"),
          Map.entry('n', "Identity-Info"));

  private static final Map<String, String> CANONICAL = canonicalNames();

  /**
   * Headers whose value is a comma-separated list (RFC 3261 §7.3.1) and may therefore be split or
   * combined. Authorization-style headers and Date contain commas that are not separators.
   */
  public static final Set<String> LIST_HEADERS =
      Set.of(
          "via",
          "contact",
          "route",
          "record-route",
          "allow",
          "supported",
          "require",
          "proxy-require",
          "unsupported",
          "accept",
          "accept-encoding",
          "accept-language",
          "content-encoding",
          "allow-events",
          "p-asserted-identity",
          "remote-party-id",
          "privacy",
          "warning");

  /** Headers that may appear only once (RFC 3261 §20); a second copy makes the request 400. */
  public static final Set<String> SINGLE_HEADERS =
      Set.of("from", "to", "call-id", "cseq", "max-forwards", "content-length", "content-type");

  /** Expands a compact form and returns the canonical spelling of a known header name. */
  public static String canonicalHeaderName(String name) {
    if (name.length() == 1) {
      String full = COMPACT_FORMS.get(Character.toLowerCase(name.charAt(0)));
      if (full != null) {
        return full;
      }
    }
    String known = CANONICAL.get(name.toLowerCase(Locale.ROOT));
    return known != null ? known : name;
  }

  private static Map<String, String> canonicalNames() {
    String[] names = {
      VIA,
      FROM,
      TO,
      CALL_ID,
      CSEQ,
      CONTACT,
      MAX_FORWARDS,
      CONTENT_LENGTH,
      CONTENT_TYPE,
      ROUTE,
      RECORD_ROUTE,
      SUPPORTED,
      REQUIRE,
      UNSUPPORTED,
      ALLOW_HEADER,
      SESSION_EXPIRES,
      MIN_SE,
      RETRY_AFTER,
      USER_AGENT,
      SERVER,
      WWW_AUTHENTICATE,
      AUTHORIZATION,
      P_ASSERTED_IDENTITY,
      REMOTE_PARTY_ID,
      PRIVACY,
      REFER_TO,
      REFERRED_BY,
      EVENT,
      SUBSCRIPTION_STATE,
      WARNING,
      ACCEPT,
      "Content-Encoding",
      "Subject",
      "Allow-Events",
      "Accept-Contact",
      "Reject-Contact",
      "Request-Disposition",
      "Identity",
      "Identity-Info",
      "Proxy-Require",
      "Proxy-Authorization",
      "Proxy-Authenticate",
      "Expires",
      "Date",
      "Timestamp",
      "Organization",
      "Priority",
      "Reason",
      "RSeq",
      "RAck"
    };
    java.util.HashMap<String, String> map = new java.util.HashMap<>();
    for (String n : names) {
      map.put(n.toLowerCase(Locale.ROOT), n);
    }
    map.put("call-id", CALL_ID);
    map.put("cseq", CSEQ);
    map.put("www-authenticate", WWW_AUTHENTICATE);
    map.put("min-se", MIN_SE);
    return Map.copyOf(map);
  }

  /** RFC 3261 token characters (§25.1). */
  public static boolean isTokenChar(int c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return switch (c) {
      case '-', '.', '!', '%', '*', '_', '+', '`', '\'', '~' -> true;
      default -> false;
    };
  }

  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTokenChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Standard reason phrases for the codes we send. */
  public static String reasonPhrase(int status) {
    return switch (status) {
      case 100 -> "Trying";
      case 180 -> "Ringing";
      case 183 -> "Session Progress";
      case 200 -> "OK";
      case 202 -> "Accepted";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 407 -> "Proxy Authentication Required";
      case 408 -> "Request Timeout";
      case 415 -> "Unsupported Media Type";
      case 420 -> "Bad Extension";
      case 422 -> "Session Interval Too Small";
      case 433 -> "Anonymity Disallowed";
      case 481 -> "Call/Transaction Does Not Exist";
      case 482 -> "Loop Detected";
      case 483 -> "Too Many Hops";
      case 486 -> "Busy Here";
      case 487 -> "Request Terminated";
      case 488 -> "Not Acceptable Here";
      case 491 -> "Request Pending";
      case 500 -> "Server Internal Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "Version Not Supported";
      case 513 -> "Message Too Large";
      default -> status < 300 ? "OK" : "Error";
    };
  }
}
