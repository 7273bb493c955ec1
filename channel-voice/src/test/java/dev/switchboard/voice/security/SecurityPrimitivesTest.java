package dev.switchboard.voice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.voice.sip.SipHeaders;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecurityPrimitivesTest {

  @Test
  void cidrRangesMatchIpv4AndIpv6() throws Exception {
    CidrRange v4 = CidrRange.parse("192.0.2.0/25");
    assertTrue(v4.contains(InetAddress.getByName("192.0.2.127")));
    assertFalse(v4.contains(InetAddress.getByName("192.0.2.128")));
    assertFalse(v4.contains(InetAddress.getByName("::1")));
    CidrRange v6 = CidrRange.parse("2001:db8::/32");
    assertTrue(v6.contains(InetAddress.getByName("2001:db8:1::5")));
    assertTrue(CidrRange.parse("198.51.100.7").contains(InetAddress.getByName("198.51.100.7")));
    assertThrows(IllegalArgumentException.class, () -> CidrRange.parse("carrier.example.com"));
    assertThrows(IllegalArgumentException.class, () -> CidrRange.parse("10.0.0.0/33"));
  }

  @Test
  void allowListNamesTheTrunk() throws Exception {
    TrunkAllowList list =
        new TrunkAllowList(
            Map.of("telnyx", List.of("192.76.120.0/24"), "local", List.of("127.0.0.1")));
    assertEquals("telnyx", list.trunkFor(InetAddress.getByName("192.76.120.10")).orElseThrow());
    assertTrue(list.trunkFor(InetAddress.getByName("203.0.113.1")).isEmpty());
  }

  @Test
  void rateLimiterAllowsTheBurstThenTheRate() {
    SourceRateLimiter limiter = new SourceRateLimiter(2, 3, 1000);
    long t = 0;
    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      allowed += limiter.tryAcquire("198.51.100.1", t) ? 1 : 0;
    }
    assertEquals(3, allowed);
    assertTrue(limiter.tryAcquire("198.51.100.2", t), "other sources are independent");
    t += 500_000_000L;
    assertTrue(limiter.tryAcquire("198.51.100.1", t));
    assertFalse(limiter.tryAcquire("198.51.100.1", t));
  }

  private final DigestAuthenticator digest =
      new DigestAuthenticator(
          "sb", Map.of("alice", "secret"), List.of("SHA-256", "MD5"), new byte[32]);

  private static String nonce(String challenge) {
    Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
    assertTrue(m.find());
    return m.group(1);
  }

  private static SipHeaders auth(String algorithm, String nonce, String password) {
    String ha1 = DigestAuthenticator.hash(algorithm, "alice:sb:" + password);
    String ha2 = DigestAuthenticator.hash(algorithm, "INVITE:sip:x@y");
    String response =
        DigestAuthenticator.hash(algorithm, ha1 + ":" + nonce + ":00000001:c0ffee:auth:" + ha2);
    return new SipHeaders()
        .add(
            "Authorization",
            "Digest username=\"alice\", realm=\"sb\", nonce=\""
                + nonce
                + "\", uri=\"sip:x@y\", response=\""
                + response
                + "\", algorithm="
                + algorithm
                + ", qop=auth, nc=00000001, cnonce=\"c0ffee\"");
  }

  @Test
  void digestAcceptsSha256AndMd5WithTheRightPassword() {
    List<String> challenges = digest.challenges("198.51.100.1", 1_000, false);
    assertEquals(2, challenges.size());
    assertTrue(challenges.get(0).contains("algorithm=SHA-256"));
    String n = nonce(challenges.get(0));
    assertInstanceOf(
        DigestAuthenticator.Result.Authenticated.class,
        digest.verify(auth("SHA-256", n, "secret"), "INVITE", "198.51.100.1", 2_000));
    assertInstanceOf(
        DigestAuthenticator.Result.Authenticated.class,
        digest.verify(auth("MD5", n, "secret"), "INVITE", "198.51.100.1", 2_000));
    assertInstanceOf(
        DigestAuthenticator.Result.Rejected.class,
        digest.verify(auth("MD5", n, "guess"), "INVITE", "198.51.100.1", 2_000));
  }

  @Test
  void noncesAreBoundToTheSourceAndExpire() {
    String n = nonce(digest.challenges("198.51.100.1", 1_000, false).get(0));
    assertInstanceOf(
        DigestAuthenticator.Result.Rejected.class,
        digest.verify(auth("MD5", n, "secret"), "INVITE", "198.51.100.99", 2_000));
    assertInstanceOf(
        DigestAuthenticator.Result.Stale.class,
        digest.verify(auth("MD5", n, "secret"), "INVITE", "198.51.100.1", 1_000 + 301_000));
    assertInstanceOf(
        DigestAuthenticator.Result.Rejected.class,
        digest.verify(auth("MD5", "forged.nonce", "secret"), "INVITE", "198.51.100.1", 2_000));
  }
}
