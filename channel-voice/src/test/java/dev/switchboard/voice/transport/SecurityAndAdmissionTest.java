package dev.switchboard.voice.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Who may call and how many: allow-listed trunk, digest (SHA-256 and MD5) for everyone else, no
 * amplification toward unauthenticated sources, per-source INVITE rate, call limit with 503 +
 * Retry-After, and drain mode reflected in /q/health. Peers are raw UDP sockets bound to other
 * loopback addresses (127.0.0.2, .3…), which Linux routes without setup.
 */
@QuarkusTest
@TestProfile(RestrictedAccessProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityAndAdmissionTest {
  private final SipServer server;

  SecurityAndAdmissionTest(SipServer server) {
    this.server = server;
  }

  @Test
  @Order(1)
  void unknownSourceWithoutCredentialsIsChallengedAndNoCallStarts() throws Exception {
    long before = server.stats().callsStarted.get();
    try (RawSipClient c = new RawSipClient("127.0.0.2", server.port())) {
      String callId = RawSipClient.newCallId();
      c.send(c.invite(callId, 1, RawSipClient.newBranch(), ""));
      String r = c.finalResponse(callId, 1, 1500);
      assertNotNull(r, "an INVITE of normal size gets a challenge");
      assertEquals(401, RawSipClient.status(r));
      String challenge = RawSipClient.header(r, "WWW-Authenticate");
      assertTrue(challenge.contains("algorithm=SHA-256"), challenge);
      assertTrue(r.contains("algorithm=MD5"));
    }
    assertEquals(before, server.stats().callsStarted.get());
  }

  @Test
  @Order(2)
  void responsesToUnauthenticatedSourcesAreNeverLargerThanTheRequest() throws Exception {
    long suppressedBefore = server.stats().amplificationSuppressed.get();
    try (RawSipClient c = new RawSipClient("127.0.0.3", server.port())) {
      // A minimal OPTIONS is smaller than a 401 with two challenges: nothing may come back.
      String tiny =
          "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.3:"
              + c.localPort()
              + ";branch=z9hG4bKa1\r\n"
              + "From: <sip:a@b>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: amp1\r\nCSeq: 1 OPTIONS\r\n\r\n";
      c.send(tiny);
      List<String> responses = c.receive(1000);
      assertTrue(responses.isEmpty(), () -> "amplifying response sent: " + responses);
    }
    assertTrue(server.stats().amplificationSuppressed.get() > suppressedBefore);
  }

  @Test
  @Order(3)
  void digestSha256AndMd5UsersCanCall() throws Exception {
    for (String algorithm : new String[] {"SHA-256", "MD5"}) {
      try (RawSipClient c = new RawSipClient("127.0.0.4", server.port())) {
        String callId = RawSipClient.newCallId();
        c.send(c.invite(callId, 1, RawSipClient.newBranch(), ""));
        String challenge = c.finalResponse(callId, 1, 1500);
        assertEquals(401, RawSipClient.status(challenge));
        String nonce = nonceFor(challenge, algorithm);
        String uri = "sip:+15005550001@127.0.0.1:" + server.port();
        String ha1 = hash(algorithm, "alice:switchboard-test:wonderland");
        String ha2 = hash(algorithm, "INVITE:" + uri);
        String response = hash(algorithm, ha1 + ":" + nonce + ":00000001:abcdef:auth:" + ha2);
        String auth =
            "Authorization: Digest username=\"alice\", realm=\"switchboard-test\", nonce=\""
                + nonce
                + "\", uri=\""
                + uri
                + "\", response=\""
                + response
                + "\", algorithm="
                + algorithm
                + ", qop=auth, nc=00000001, cnonce=\"abcdef\"\r\n";
        c.send(c.invite(callId, 2, RawSipClient.newBranch(), auth));
        String ok = c.finalResponse(callId, 2, 1500);
        assertNotNull(ok);
        assertEquals(200, RawSipClient.status(ok), algorithm + ": " + ok);
        hangUp(c, ok, callId);
      }
    }
  }

  @Test
  @Order(4)
  void wrongPasswordIsChallengedAgain() throws Exception {
    try (RawSipClient c = new RawSipClient("127.0.0.5", server.port())) {
      String callId = RawSipClient.newCallId();
      c.send(c.invite(callId, 1, RawSipClient.newBranch(), ""));
      String nonce = nonceFor(c.finalResponse(callId, 1, 1500), "MD5");
      String uri = "sip:+15005550001@127.0.0.1:" + server.port();
      String bad =
          hash(
              "MD5",
              hash("MD5", "alice:switchboard-test:guess")
                  + ":"
                  + nonce
                  + ":"
                  + hash("MD5", "INVITE:" + uri));
      c.send(
          c.invite(
              callId,
              2,
              RawSipClient.newBranch(),
              "Authorization: Digest username=\"alice\", realm=\"switchboard-test\", nonce=\""
                  + nonce
                  + "\", uri=\""
                  + uri
                  + "\", response=\""
                  + bad
                  + "\", algorithm=MD5\r\n"));
      assertEquals(401, RawSipClient.status(c.finalResponse(callId, 2, 1500)));
    }
  }

  @Test
  @Order(5)
  void callLimitGives503WithRetryAfterAndReadinessDown() throws Exception {
    try (RawSipClient a = new RawSipClient("127.0.0.1", server.port())) {
      String id1 = RawSipClient.newCallId();
      String id2 = RawSipClient.newCallId();
      a.send(a.invite(id1, 1, RawSipClient.newBranch(), ""));
      String ok1 = a.finalResponse(id1, 1, 1500);
      a.send(a.invite(id2, 1, RawSipClient.newBranch(), ""));
      String ok2 = a.finalResponse(id2, 1, 1500);
      assertEquals(200, RawSipClient.status(ok1));
      assertEquals(200, RawSipClient.status(ok2));
      given()
          .when()
          .get("/q/health/ready")
          .then()
          .statusCode(503)
          .body("checks.find { it.name == 'sip' }.data.activeCalls", equalTo(2));
      String id3 = RawSipClient.newCallId();
      a.send(a.invite(id3, 1, RawSipClient.newBranch(), ""));
      String busy = a.finalResponse(id3, 1, 1500);
      assertEquals(503, RawSipClient.status(busy));
      assertEquals("30", RawSipClient.header(busy, "Retry-After"));
      hangUp(a, ok1, id1);
      hangUp(a, ok2, id2);
      given().when().get("/q/health/ready").then().statusCode(200);
    }
  }

  @Test
  @Order(6)
  void invitesAbovePerSourceRateGet503() throws Exception {
    // burst 3, 1/s: a fresh source gets 3 through, then 503s.
    try (RawSipClient c = new RawSipClient("127.0.0.6", server.port())) {
      int limited = 0;
      for (int i = 0; i < 6; i++) {
        String callId = RawSipClient.newCallId();
        c.send(c.invite(callId, 1, RawSipClient.newBranch(), ""));
        String r = c.finalResponse(callId, 1, 500);
        if (r != null && RawSipClient.status(r) == 503) {
          limited++;
        }
      }
      // Challenges (401) come before the rate check, so an unauthenticated flood costs us nothing.
      assertEquals(0, limited);
    }
    try (RawSipClient c = new RawSipClient("127.0.0.1", server.port())) {
      int limited = 0;
      int answered = 0;
      for (int i = 0; i < 8; i++) {
        String callId = RawSipClient.newCallId();
        c.send(c.invite(callId, 1, RawSipClient.newBranch(), ""));
        String r = c.finalResponse(callId, 1, 400);
        if (r != null
            && RawSipClient.status(r) == 503
            && "Too many calls from this source".equals(r.substring(12, r.indexOf("\r\n")))) {
          limited++;
        } else if (r != null && RawSipClient.status(r) == 200) {
          answered++;
          hangUp(c, r, callId);
        }
      }
      assertTrue(limited >= 3, "limited " + limited + ", answered " + answered);
    }
  }

  @Test
  @Order(7)
  void drainingRefusesNewCallsAndReportsNotReady() throws Exception {
    server.admission().startDraining();
    try (RawSipClient a = new RawSipClient("127.0.0.1", server.port())) {
      Thread.sleep(1100); // let the rate limiter refill after the previous test
      String callId = RawSipClient.newCallId();
      a.send(a.invite(callId, 1, RawSipClient.newBranch(), ""));
      String r = a.finalResponse(callId, 1, 1500);
      assertEquals(503, RawSipClient.status(r));
      assertNotNull(RawSipClient.header(r, "Retry-After"));
    }
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'sip' }.data.draining", equalTo(true));
    given().when().get("/q/health/live").then().statusCode(200);
  }

  private static void hangUp(RawSipClient c, String ok, String callId) throws Exception {
    String to = RawSipClient.header(ok, "To");
    String common =
        "Via: SIP/2.0/UDP "
            + c.localIp()
            + ":"
            + c.localPort()
            + ";branch="
            + RawSipClient.newBranch()
            + ";rport\r\n"
            + "From: <sip:+12125551212@"
            + c.localIp()
            + ">;tag=raw1\r\nTo: "
            + to
            + "\r\nCall-ID: "
            + callId
            + "\r\nMax-Forwards: 70\r\n";
    String target = RawSipClient.header(ok, "Contact").replaceAll("^<|>$", "");
    c.send(
        "ACK "
            + target
            + " SIP/2.0\r\n"
            + common
            + "CSeq: "
            + cseqNumber(ok)
            + " ACK\r\nContent-Length: 0\r\n\r\n");
    c.send(
        "BYE "
            + target
            + " SIP/2.0\r\n"
            + common.replaceFirst("branch=[^;]+", "branch=" + RawSipClient.newBranch())
            + "CSeq: "
            + (cseqNumber(ok) + 1)
            + " BYE\r\nContent-Length: 0\r\n\r\n");
    String r = c.finalResponse(callId, cseqNumber(ok) + 1, 1500);
    assertNotNull(r);
    assertEquals(200, RawSipClient.status(r));
  }

  private static int cseqNumber(String msg) {
    return Integer.parseInt(RawSipClient.header(msg, "CSeq").split(" ")[0]);
  }

  private static String nonceFor(String challenge, String algorithm) {
    for (String line : challenge.split("\r\n")) {
      if (line.startsWith("WWW-Authenticate:") && line.contains("algorithm=" + algorithm + ",")) {
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(line);
        assertTrue(m.find());
        return m.group(1);
      }
    }
    assertNull(challenge, "no " + algorithm + " challenge");
    return null;
  }

  private static String hash(String algorithm, String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
