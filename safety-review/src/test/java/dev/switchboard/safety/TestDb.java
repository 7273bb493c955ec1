package dev.switchboard.safety;

import static org.awaitility.Awaitility.await;

import dev.switchboard.safety.persistence.ReviewCaseEntity;
import dev.switchboard.safety.persistence.TranscriptTurnEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads (and, to simulate time passing or tampering, writes) the service's tables. */
public final class TestDb {
  private TestDb() {}

  public static void sql(String statement, Object... params) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              var q = TranscriptTurnEntity.getEntityManager().createNativeQuery(statement);
              for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
              }
              q.executeUpdate();
            });
  }

  public static TranscriptTurnEntity awaitClassified(String eventId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                QuarkusTransaction.requiringNew()
                    .call(() -> TranscriptTurnEntity.<TranscriptTurnEntity>findById(eventId)),
            t -> t != null && t.classifiedAt != null);
  }

  public static TranscriptTurnEntity turn(String eventId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> TranscriptTurnEntity.<TranscriptTurnEntity>findById(eventId));
  }

  public static List<ReviewCaseEntity> cases(String conversationId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> ReviewCaseEntity.list("conversationId", conversationId));
  }

  public static Optional<ReviewCaseEntity> openCase(String conversationId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ReviewCaseEntity.<ReviewCaseEntity>find(
                        "conversationId = ?1 and status = 'OPEN'", conversationId)
                    .firstResultOptional());
  }

  public static ReviewCaseEntity caseById(long id) {
    return QuarkusTransaction.requiringNew().call(() -> ReviewCaseEntity.findById(id));
  }

  /** Closes every open case, so queue tests start from a known state. */
  public static void closeAllOpenCases() {
    sql(
        "update safety.review_case set status = 'CLOSED', decision = 'TEST_RESET' where status = 'OPEN'");
  }
}
