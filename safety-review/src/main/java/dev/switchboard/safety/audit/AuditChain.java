package dev.switchboard.safety.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The hash chain: each record's hash covers the previous hash and every field of the record. */
public final class AuditChain {
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static String hash(
      String prevHash,
      long seq,
      java.time.Instant at,
      String actor,
      String action,
      String target,
      String detail) {
    String canonical =
        String.join(
            "\u001f", prevHash, Long.toString(seq), at.toString(), actor, action, target, detail);
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where verification found the chain broken, or that it is intact. */
  public record Verification(boolean intact, long checked, Long brokenAtSeq, String problem) {}

  /** Verifies records in sequence order, starting from the genesis hash. */
  public static Verification verify(List<AuditEntry> entries) {
    String expectedPrev = GENESIS;
    long expectedSeq = 1;
    long checked = 0;
    for (AuditEntry e : entries) {
      if (e.seq() != expectedSeq) {
        return new Verification(
            false, checked, e.seq(), "record " + expectedSeq + " is missing (deleted?)");
      }
      if (!e.prevHash().equals(expectedPrev)) {
        return new Verification(
            false, checked, e.seq(), "previous-hash link does not match record " + (e.seq() - 1));
      }
      String recomputed =
          hash(e.prevHash(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.detail());
      if (!recomputed.equals(e.hash())) {
        return new Verification(
            false, checked, e.seq(), "contents were altered after they were written");
      }
      expectedPrev = e.hash();
      expectedSeq++;
      checked++;
    }
    return new Verification(true, checked, null, null);
  }
}
