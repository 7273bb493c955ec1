package dev.switchboard.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.contracts.identity.SubjectIds;
import org.junit.jupiter.api.Test;

class SubjectIdsTest {
  private final SubjectIds ids = new SubjectIds("a-pepper-of-enough-length");

  @Test
  void matchesHmacSha256OfTheNumber() {
    // printf '+14155550100' | openssl dgst -sha256 -hmac a-pepper-of-enough-length
    assertEquals(
        "84e62865bef5c5e30e0c2d4e56c5f5e6ff1db6507be0bb5c9c84212288d6d248", ids.of("+14155550100"));
  }

  @Test
  void differentPeppersGiveDifferentIds() {
    assertNotEquals(
        ids.of("+14155550100"), new SubjectIds("another-pepper-value").of("+14155550100"));
  }

  @Test
  void otherIdentitiesUseTheSameHmacOverANamespacedInput() {
    // printf 'wa-user:US.13491208655302741918' | openssl dgst -sha256 -hmac
    // a-pepper-of-enough-length
    assertEquals(
        "b2e1af7376c5fbf115174ae0b6eaed39ce72d1950459bfec46d2f3c6752e2b1c",
        ids.ofIdentity("wa-user", "US.13491208655302741918"));
    assertNotEquals(ids.ofIdentity("anonymous-call", "a"), ids.ofIdentity("anonymous-call", "b"));
    assertThrows(IllegalArgumentException.class, () -> ids.ofIdentity("", "x"));
  }

  @Test
  void rejectsWhatIsNotE164() {
    assertThrows(IllegalArgumentException.class, () -> ids.of("14155550100"));
    assertThrows(IllegalArgumentException.class, () -> ids.of("+0123"));
  }
}
