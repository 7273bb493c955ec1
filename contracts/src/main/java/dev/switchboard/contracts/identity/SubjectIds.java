package dev.switchboard.contracts.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives a person's subject id: HMAC-SHA256(server pepper, E.164 number), lower-case hex. Logs,
 * metrics, topics and the safety UI use the subject id, never the number.
 */
public final class SubjectIds {
  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec pepper;

  public SubjectIds(String pepper) {
    if (pepper == null || pepper.length() < 16) {
      throw new IllegalArgumentException("The subject-id pepper must be at least 16 characters");
    }
    this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), HMAC);
  }

  /** The subject id of an E.164 number such as {@code +14155550100}. */
  public String of(String e164) {
    if (e164 == null || !e164.matches("\\+[1-9][0-9]{1,14}")) {
      throw new IllegalArgumentException("Not an E.164 number");
    }
    return hmac(e164);
  }

  /**
   * The subject id of a person known by something other than a number, such as a WhatsApp
   * business-scoped user id or one anonymous call: {@code namespace + ":" + id}. It cannot collide
   * with a number's id, because that input is not E.164.
   */
  public String ofIdentity(String namespace, String id) {
    if (namespace == null || namespace.isBlank() || id == null || id.isBlank()) {
      throw new IllegalArgumentException("An identity needs a namespace and an id");
    }
    return hmac(namespace + ":" + id);
  }

  private String hmac(String input) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(pepper);
      return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
