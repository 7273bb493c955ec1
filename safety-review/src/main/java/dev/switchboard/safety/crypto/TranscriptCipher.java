package dev.switchboard.safety.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for original transcript text at rest. Output is {@code nonce(12) || ciphertext+tag};
 * the record's event id is bound in as associated data, so a ciphertext copied onto another row
 * does not decrypt.
 */
public final class TranscriptCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  public TranscriptCipher(byte[] key, String keyId) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "The transcript key must be 32 bytes (AES-256), got " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = keyId;
  }

  public String keyId() {
    return keyId;
  }

  public byte[] encrypt(byte[] plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Decrypts and authenticates; throws if the data or its associated data were altered. */
  public byte[] decrypt(byte[] nonceAndCiphertext, String associatedData)
      throws GeneralSecurityException {
    if (nonceAndCiphertext.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("Ciphertext too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    return cipher.doFinal(nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
  }
}
