package dev.switchboard.safety;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.ErasureRequest;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.retention.LegalHolds;
import dev.switchboard.safety.retention.RetentionService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Audit chain, authorization, CSRF, retention and erasure against the real database and broker. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class GovernanceTest {
  private static final String PASSWORD = "long-enough-password-1";

  private final AuditLog audit;
  private final AccountService accounts;
  private final RetentionService retention;
  private final LegalHolds holds;

  GovernanceTest(
      AuditLog audit, AccountService accounts, RetentionService retention, LegalHolds holds) {
    this.audit = audit;
    this.accounts = accounts;
    this.retention = retention;
    this.holds = holds;
  }

  private String user(Role role) {
    String name = role.dbName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    accounts.create(name, PASSWORD, role);
    return LoginForm.login(name, PASSWORD);
  }

  @Test
  void auditChainVerifiesAndAlteredRowIsDetectedWhereItBreaks() {
    String admin = LoginForm.login("admin", "test-admin-password-0001");
    var target = audit.append("tester", "test.event", "case:0", "original detail");
    audit.append("tester", "test.event", "case:0", "after");
    verify(admin).then().statusCode(200);

    assertThatThrownBy(
            () ->
                TestDb.sql(
                    "update safety.audit_record set detail = 'x' where seq = ?1", target.seq()))
        .as("append-only trigger")
        .hasStackTraceContaining("append-only");

    // Someone with database superuser rights edits a record behind the trigger's back.
    tamper(target.seq(), "edited detail");
    try {
      Response broken = verify(admin);
      assertThat(broken.statusCode()).isEqualTo(409);
      assertThat(broken.jsonPath().getLong("brokenAtSeq")).isEqualTo(target.seq());
      assertThat(
              given()
                  .cookie("sb_session", admin)
                  .get("/admin/audit")
                  .then()
                  .statusCode(200)
                  .extract()
                  .asString())
          .contains("Chain BROKEN at record " + target.seq());
    } finally {
      tamper(target.seq(), "original detail");
    }
    verify(admin).then().statusCode(200);
  }

  @Test
  void reviewerIsRefusedOnLeadAndAdminEndpoints() {
    String reviewer = user(Role.REVIEWER);
    for (String path : new String[] {"/admin/users", "/admin/thresholds", "/admin/audit"}) {
      given()
          .cookie("sb_session", reviewer)
          .redirects()
          .follow(false)
          .get(path)
          .then()
          .statusCode(403);
    }
    given().cookie("sb_session", reviewer).get("/api/audit/verify").then().statusCode(403);
    given().cookie("sb_session", reviewer).get("/api/stats/reviewers").then().statusCode(403);
    given()
        .cookie("sb_session", reviewer)
        .formParam("justification", "I would like to see the phone number please")
        .post("/cases/1/reveal")
        .then()
        .statusCode(403);
    given()
        .cookie("sb_session", reviewer)
        .formParam("username", "sneaky-admin")
        .formParam("password", PASSWORD)
        .formParam("role", "admin")
        .post("/admin/users")
        .then()
        .statusCode(403);
    given().cookie("sb_session", reviewer).get("/queues").then().statusCode(200);
  }

  @Test
  void formsWithoutTheSessionCsrfTokenAreRefused() {
    String admin = LoginForm.login("admin", "test-admin-password-0001");
    given()
        .cookie("sb_session", admin)
        .formParam("username", "csrf-victim")
        .formParam("password", PASSWORD)
        .formParam("role", "admin")
        .post("/admin/users")
        .then()
        .statusCode(403);
    given()
        .cookie("sb_session", admin)
        .formParam("queue", "STANDARD")
        .formParam("csrf", "guessed")
        .post("/cases/next")
        .then()
        .statusCode(403);
    assertThat(accounts.all()).noneMatch(a -> a.username.equals("csrf-victim"));
  }

  @Test
  void retentionKeepsOpenCasesAndHoldsAndDeletesTheRest() {
    String flagged = "wa:" + UUID.randomUUID();
    String heldSubject = "subj-held-" + UUID.randomUUID();
    holds.place(heldSubject, "litigation 2026-17", "tester");
    String plainId = send(CaseFlowTest.unsampledConversation(), "subj-old", "hello");
    String flaggedId = send(flagged, "subj-old-flag", "I will hurt you");
    String heldId = send(CaseFlowTest.unsampledConversation(), heldSubject, "hello");
    for (String id : new String[] {plainId, flaggedId, heldId}) {
      TestDb.awaitClassified(id);
      TestDb.sql(
          "update safety.transcript_turn set received_at = now() - interval '40 days'"
              + " where event_id = ?1",
          id);
    }
    assertThat(TestDb.openCase(flagged)).isPresent();

    retention.expireOlderThan(Instant.now().minus(Duration.ofDays(30)));

    assertThat(TestDb.turn(plainId)).as("expired").isNull();
    assertThat(TestDb.turn(flaggedId)).as("kept by its open case").isNotNull();
    assertThat(TestDb.turn(heldId)).as("kept by legal hold").isNotNull();
  }

  @Test
  void erasureRequestDeletesTheirTranscriptsExceptUnderHold() {
    String subject = "subj-erase-" + UUID.randomUUID();
    String heldSubject = "subj-erase-held-" + UUID.randomUUID();
    holds.place(heldSubject, "regulator request", "tester");
    String a = send("wa:" + UUID.randomUUID(), subject, "hello");
    String b = send("call:" + UUID.randomUUID(), subject, "I hate you");
    String keep = send("wa:" + UUID.randomUUID(), heldSubject, "hello");
    TestDb.awaitClassified(a);
    TestDb.awaitClassified(b);
    TestDb.awaitClassified(keep);

    erase(subject);
    erase(heldSubject);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> TestDb.turn(a) == null && TestDb.turn(b) == null);
    // The held person's request was processed too (it is in the audit log), yet the turn stays.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                audit.latest(50).stream()
                    .anyMatch(e -> e.target().equals("subject:" + heldSubject)));
    assertThat(TestDb.turn(keep)).isNotNull();
  }

  private static String send(String conversation, String subject, String text) {
    var turn = TestTurns.turn(conversation, 0, subject, text, "ok");
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray());
    return turn.getEventId();
  }

  private static void erase(String subject) {
    Instant now = Instant.now();
    TestKafka.send(
        Topics.PRIVACY_ERASURE,
        subject,
        ErasureRequest.newBuilder()
            .setEventId("erase:" + UUID.randomUUID())
            .setSubjectId(subject)
            .setRequestedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .build()
            .toByteArray());
  }

  private static Response verify(String session) {
    return given().cookie("sb_session", session).get("/api/audit/verify");
  }

  private static void tamper(long seq, String detail) {
    TestDb.sql("alter table safety.audit_record disable trigger audit_record_no_update");
    try {
      TestDb.sql("update safety.audit_record set detail = ?1 where seq = ?2", detail, seq);
    } finally {
      TestDb.sql("alter table safety.audit_record enable trigger audit_record_no_update");
    }
  }
}
