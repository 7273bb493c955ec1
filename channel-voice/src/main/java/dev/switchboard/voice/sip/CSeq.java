package dev.switchboard.voice.sip;

/** CSeq header: sequence number and method (RFC 3261 §20.16). */
public record CSeq(long number, String method) {
  /** 2^31 - 1: the RFC requires sequence numbers below 2^31. */
  public static final long MAX = 0x7fffffffL;

  public static CSeq parse(String value) {
    if (value == null) {
      throw new SipProtocolException("Missing CSeq");
    }
    String v = value.trim();
    int sp = indexOfWhitespace(v);
    if (sp <= 0) {
      throw new SipProtocolException("Malformed CSeq");
    }
    String num = v.substring(0, sp);
    String method = v.substring(sp).trim();
    if (num.length() > 10 || !num.chars().allMatch(Character::isDigit)) {
      throw new SipProtocolException("Malformed CSeq number");
    }
    long n = Long.parseLong(num);
    if (n > MAX) {
      throw new SipProtocolException("CSeq number out of range");
    }
    if (!SipConstants.isToken(method)) {
      throw new SipProtocolException("Malformed CSeq method");
    }
    return new CSeq(n, method);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return number + " " + method;
  }
}
