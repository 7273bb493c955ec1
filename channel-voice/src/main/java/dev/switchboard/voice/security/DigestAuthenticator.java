package dev.switchboard.voice.security;

import dev.switchboard.voice.sip.SipHeaders;
import dev.switchboard.voice.sip.SipText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP digest authentication for SIP (RFC 3261 §22, RFC 8760 for SHA-256) with qop=auth. Nonces are
 * stateless: a timestamp and an HMAC over it and the source address, so no table grows with
 * unauthenticated traffic and a nonce from one address is useless from another.
 */
public final class DigestAuthenticator {
  /** Nonces older than this are stale. */
  private static final long NONCE_LIFETIME_MS = 300_000;

  private final String realm;
  private final Map<String, String> passwords;
  private final List<String> algorithms;
  private final byte[] nonceKey;

  /**
   * @param algorithms offered in this order, from {@code SHA-256} and {@code MD5}
   * @param nonceKey secret for nonce HMACs (random per process is fine)
   */
  public DigestAuthenticator(
      String realm, Map<String, String> passwords, List<String> algorithms, byte[] nonceKey) {
    this.realm = realm;
    this.passwords = Map.copyOf(passwords);
    this.algorithms = algorithms.stream().map(a -> a.trim().toUpperCase(Locale.ROOT)).toList();
    this.nonceKey = nonceKey.clone();
    for (String a : this.algorithms) {
      if (!a.equals("MD5") && !a.equals("SHA-256")) {
        throw new IllegalArgumentException("Unsupported digest algorithm " + a);
      }
    }
  }

  /** One WWW-Authenticate value per algorithm, strongest first (RFC 8760 §2.4). */
  public List<String> challenges(String sourceIp, long nowMillis, boolean stale) {
    String nonce = nonce(sourceIp, nowMillis);
    List<String> out = new ArrayList<>();
    for (String a : algorithms) {
      out.add(
          "Digest realm=\""
              + realm
              + "\", nonce=\""
              + nonce
              + "\", algorithm="
              + a
              + ", qop=\"auth\""
              + (stale ? ", stale=true" : ""));
    }
    return out;
  }

  /** Verification outcome. */
  public sealed interface Result {
    record Authenticated(String user) implements Result {}

    record Stale() implements Result {}

    record Rejected(String reason) implements Result {}
  }

  /** Checks the Authorization header of a request for our realm. */
  public Result verify(SipHeaders headers, String method, String sourceIp, long nowMillis) {
    for (String value : headers.all("Authorization")) {
      Map<String, String> p = parseCredentials(value);
      if (p == null || !realm.equals(p.get("realm"))) {
        continue;
      }
      String user = p.get("username");
      String nonce = p.get("nonce");
      String uri = p.get("uri");
      String response = p.get("response");
      String algorithm = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
      if (user == null
          || nonce == null
          || uri == null
          || response == null
          || !algorithms.contains(algorithm)) {
        return new Result.Rejected("Incomplete credentials");
      }
      String password = passwords.get(user);
      if (password == null) {
        return new Result.Rejected("Unknown user");
      }
      long issued = nonceTime(nonce, sourceIp);
      if (issued < 0) {
        return new Result.Rejected("Nonce not issued to this source");
      }
      if (nowMillis - issued > NONCE_LIFETIME_MS) {
        return new Result.Stale();
      }
      String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
      String ha2 = hash(algorithm, method + ":" + uri);
      String qop = p.get("qop");
      String expected =
          qop == null
              ? hash(algorithm, ha1 + ":" + nonce + ":" + ha2)
              : hash(
                  algorithm,
                  ha1
                      + ":"
                      + nonce
                      + ":"
                      + p.getOrDefault("nc", "")
                      + ":"
                      + p.getOrDefault("cnonce", "")
                      + ":"
                      + qop
                      + ":"
                      + ha2);
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII),
          response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
        return new Result.Authenticated(user);
      }
      return new Result.Rejected("Wrong credentials");
    }
    return new Result.Rejected("No credentials for realm");
  }

  String nonce(String sourceIp, long nowMillis) {
    String ts = Long.toString(nowMillis, 16);
    return ts
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(ts + "|" + sourceIp));
  }

  private long nonceTime(String nonce, String sourceIp) {
    int dot = nonce.indexOf('.');
    if (dot <= 0) {
      return -1;
    }
    String ts = nonce.substring(0, dot);
    byte[] expected = hmac(ts + "|" + sourceIp);
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(nonce.substring(dot + 1));
      return MessageDigest.isEqual(expected, given) ? Long.parseLong(ts, 16) : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private byte[] hmac(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(String algorithm, String data) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm.equals("MD5") ? "MD5" : "SHA-256");
      return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@code Digest a=b, c="d"}; null when it is not a digest credential. */
  static Map<String, String> parseCredentials(String value) {
    String v = value.trim();
    if (!v.regionMatches(true, 0, "Digest ", 0, 7)) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    int i = 7;
    while (i < v.length()) {
      while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == ',' || v.charAt(i) == '\t')) {
        i++;
      }
      int eq = v.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      while (i < v.length() && v.charAt(i) == ' ') {
        i++;
      }
      String val;
      if (i < v.length() && v.charAt(i) == '"') {
        int end = SipText.endOfQuoted(v, i);
        if (end < 0) {
          return null;
        }
        val = SipText.unquote(v.substring(i, end + 1));
        i = end + 1;
      } else {
        int comma = v.indexOf(',', i);
        int end = comma < 0 ? v.length() : comma;
        val = v.substring(i, end).trim();
        i = end;
      }
      out.put(name, val);
    }
    return out;
  }

  public Optional<String> realm() {
    return Optional.of(realm);
  }
}
