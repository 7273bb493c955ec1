package dev.switchboard.launcher;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The secrets one local run needs. Taken from the environment when set there, otherwise generated
 * fresh for this run (the run's data is fresh too).
 */
record PlatformSecrets(
    String identityPepper,
    String coreEncryptionKey,
    String reviewEncryptionKey,
    String reviewerAdminPassword) {

  private static final SecureRandom RANDOM = new SecureRandom();

  static PlatformSecrets from(Map<String, String> env) {
    return new PlatformSecrets(
        env.getOrDefault("SWITCHBOARD_IDENTITY_PEPPER", hex(32)),
        env.getOrDefault("SWITCHBOARD_CORE_ENCRYPTION_KEY", aesKey()),
        env.getOrDefault("SWITCHBOARD_REVIEW_ENCRYPTION_KEY", aesKey()),
        env.getOrDefault("SWITCHBOARD_REVIEW_ADMIN_PASSWORD", hex(8)));
  }

  private static String hex(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  /** A base64 AES-256 key. */
  private static String aesKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
