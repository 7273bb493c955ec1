package dev.switchboard.safety.cases;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Picks unflagged conversations for the QA queue. The choice is a uniform hash of the conversation
 * id, so it is random across conversations yet stable for one conversation (every turn of it
 * agrees, and replicas agree without coordination).
 */
public final class QaSampler {
  private QaSampler() {}

  public static boolean sampled(String conversationId, double rate) {
    if (rate <= 0) {
      return false;
    }
    if (rate >= 1) {
      return true;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("qa-sample:" + conversationId).getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) {
        bits = (bits << 8) | (h[i] & 0xff);
      }
      double uniform = bits / (double) (1L << 56);
      return uniform < rate;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
