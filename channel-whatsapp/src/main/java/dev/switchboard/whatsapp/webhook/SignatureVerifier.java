package dev.switchboard.whatsapp.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>}. Works on the
 * raw bytes Meta sent: re-serialised JSON would not match. Every candidate secret is tried and
 * compared in constant time, so timing reveals neither the signature nor which secret matched.
 */
public final class SignatureVerifier {
  private static final String PREFIX = "sha256=";
  private static final int HEX_LENGTH = 64;

  /** Why a signature was refused, or that it was accepted. */
  public enum Verdict {
    VALID,
    MISSING,
    MALFORMED,
    MISMATCH
  }

  /** The outcome and, when valid, the secret that produced it. */
  public record Result(Verdict verdict, String matchingSecret) {
    public boolean valid() {
      return verdict == Verdict.VALID;
    }
  }

  private final List<SecretKeySpec> keys;
  private final List<String> secrets;

  /** Mac.getInstance is costly on the hot path; one initialised Mac per key per thread. */
  private final ThreadLocal<Mac[]> macs;

  public SignatureVerifier(List<String> appSecrets) {
    this.secrets = List.copyOf(appSecrets);
    this.keys =
        appSecrets.stream()
            .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .toList();
    this.macs = ThreadLocal.withInitial(this::newMacs);
  }

  private Mac[] newMacs() {
    Mac[] result = new Mac[keys.size()];
    for (int i = 0; i < result.length; i++) {
      try {
        result[i] = Mac.getInstance("HmacSHA256");
        result[i].init(keys.get(i));
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HMAC-SHA256 is not available", e);
      }
    }
    return result;
  }

  public Result verify(String header, byte[] rawBody) {
    if (header == null || header.isBlank()) {
      return new Result(Verdict.MISSING, null);
    }
    String value = header.trim();
    if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || value.length() != PREFIX.length() + HEX_LENGTH) {
      return new Result(Verdict.MALFORMED, null);
    }
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(value, PREFIX.length(), value.length());
    } catch (IllegalArgumentException e) {
      return new Result(Verdict.MALFORMED, null);
    }
    String match = null;
    Mac[] perKey = macs.get();
    for (int i = 0; i < perKey.length; i++) {
      boolean equal = MessageDigest.isEqual(perKey[i].doFinal(rawBody), presented);
      if (equal && match == null) {
        match = secrets.get(i);
      }
    }
    return match == null ? new Result(Verdict.MISMATCH, null) : new Result(Verdict.VALID, match);
  }

  /** The header value Meta would send for this body; used by the sandbox and by tests. */
  public static String sign(String appSecret, byte[] rawBody) {
    SecretKeySpec key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    return PREFIX + HexFormat.of().formatHex(hmac(key, rawBody));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
