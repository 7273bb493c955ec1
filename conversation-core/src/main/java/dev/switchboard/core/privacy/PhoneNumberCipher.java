package dev.switchboard.core.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts phone numbers at rest with AES-256-GCM. Stored form: 12-byte random IV, then ciphertext
 * and 16-byte tag. The subject id is bound as associated data, so a number copied onto another
 * person's row does not decrypt.
 */
public final class PhoneNumberCipher {
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** {@code base64Key} must decode to exactly 32 bytes. */
  public PhoneNumberCipher(String base64Key) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The phone encryption key is not valid base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "The phone encryption key must be 32 bytes (AES-256), got " + raw.length);
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  public byte[] encrypt(String e164, String subjectId) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(e164.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** Throws {@link GeneralSecurityException} when the data was altered or the key is wrong. */
  public String decrypt(byte[] stored, String subjectId) throws GeneralSecurityException {
    if (stored == null || stored.length <= IV_BYTES) {
      throw new GeneralSecurityException("ciphertext too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
    cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
    byte[] plain = cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
    return new String(plain, StandardCharsets.UTF_8);
  }
}
