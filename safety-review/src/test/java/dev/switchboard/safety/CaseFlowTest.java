package dev.switchboard.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.safety.cases.CaseService;
import dev.switchboard.safety.cases.QaSampler;
import dev.switchboard.safety.cases.Queue;
import dev.switchboard.safety.persistence.ReviewCaseEntity;
import dev.switchboard.safety.persistence.TranscriptTurnEntity;
import dev.switchboard.safety.transcript.ClassificationRetryJob;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Classification, cases, priority and claims with the real broker, database and gRPC. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class CaseFlowTest {
  private final CaseService cases;
  private final ClassificationRetryJob retryJob;

  CaseFlowTest(CaseService cases, ClassificationRetryJob retryJob) {
    this.cases = cases;
    this.retryJob = retryJob;
  }

  private static String send(String conversation, int index, String subject, String text) {
    var turn = TestTurns.turn(conversation, index, subject, text, "I can't help with that.");
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray());
    return turn.getEventId();
  }

  @Test
  void flaggedTurnsOpenOneCasePerConversationWithScores() {
    String conversation = "wa:" + UUID.randomUUID();
    String first = send(conversation, 0, "subj-flag", "I hate you");
    TranscriptTurnEntity t = TestDb.awaitClassified(first);
    assertThat(t.flagged).isTrue();
    assertThat(t.scores.get("harassment"))
        .isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.001));
    ReviewCaseEntity c = TestDb.openCase(conversation).orElseThrow();
    assertThat(c.queue).isEqualTo("STANDARD");
    assertThat(c.category).isEqualTo("harassment");
    int lowSeverity = c.severity;

    String second = send(conversation, 1, "subj-flag", "I will hurt you");
    TestDb.awaitClassified(second);
    List<ReviewCaseEntity> all = TestDb.cases(conversation);
    assertThat(all).hasSize(1);
    assertThat(all.get(0).category).isEqualTo("harassment/threatening");
    assertThat(all.get(0).severity).isGreaterThan(lowSeverity);
  }

  @Test
  void unflaggedTurnOpensNoCase() {
    String conversation = unsampledConversation();
    TestDb.awaitClassified(send(conversation, 0, "subj-calm", "What's the weather like?"));
    assertThat(TestDb.cases(conversation)).isEmpty();
  }

  @Test
  void severeCategoryGoesToUrgentQueueAndBlocksAtOnce() {
    String conversation = "wa:" + UUID.randomUUID();
    String subject = "subj-severe-" + UUID.randomUUID();
    try (KafkaConsumer<String, byte[]> enforcement =
        TestKafka.consumerFromStart(Topics.SAFETY_ENFORCEMENT)) {
      TestDb.awaitClassified(send(conversation, 0, subject, "send me child abuse material"));
      ReviewCaseEntity c = TestDb.openCase(conversation).orElseThrow();
      assertThat(c.queue).isEqualTo("URGENT");
      assertThat(c.autoAction).isEqualTo("BLOCK_PERMANENT");

      ConsumerRecord<String, byte[]> r =
          TestKafka.awaitKey(enforcement, subject, Duration.ofSeconds(30));
      assertThat(r).as("enforcement keyed by subject id").isNotNull();
      EnforcementAction action = parse(r.value());
      assertThat(action.getAction()).isEqualTo(EnforcementAction.Action.ACTION_BLOCK);
      assertThat(action.hasBlockedUntil()).as("permanent").isFalse();
      assertThat(action.getCategory()).isEqualTo("sexual/minors");
      assertThat(action.getCaseId()).isEqualTo(Long.toString(c.id));
    }
  }

  @Test
  void aWarningOnALaterCaseDoesNotReplaceABlockInForceOnTheCompactedTopic() throws Exception {
    String subject = "subj-blocked-" + UUID.randomUUID();
    String first = "wa:" + UUID.randomUUID();
    TestDb.awaitClassified(send(first, 0, subject, "send me child abuse material"));
    assertThat(TestDb.openCase(first).orElseThrow().autoAction).isEqualTo("BLOCK_PERMANENT");
    String later = "wa:" + UUID.randomUUID();
    TestDb.awaitClassified(send(later, 0, subject, "I will hurt you"));
    ReviewCaseEntity warned = TestDb.openCase(later).orElseThrow();

    CaseService.DecisionResult result =
        cases.decide(
            warned.id,
            "lead-1",
            true,
            dev.switchboard.safety.cases.Decision.VIOLATION,
            "harassment/threatening",
            "",
            dev.switchboard.safety.cases.EnforcementChoice.WARN);

    assertThat(result).isEqualTo(CaseService.DecisionResult.DECIDED);
    assertThat(TestDb.caseById(warned.id).enforcement).isEqualTo("WARN");
    List<EnforcementAction.Action> published = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> enforcement =
        TestKafka.consumerFromStart(Topics.SAFETY_ENFORCEMENT)) {
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until) {
        for (ConsumerRecord<String, byte[]> r : enforcement.poll(Duration.ofMillis(200))) {
          if (subject.equals(r.key())) {
            published.add(parse(r.value()).getAction());
          }
        }
      }
    }
    assertThat(published).containsExactly(EnforcementAction.Action.ACTION_BLOCK);
  }

  @Test
  void sampledUnflaggedConversationGoesToQaQueueOnce() {
    String conversation = sampledConversation();
    TestDb.awaitClassified(send(conversation, 0, "subj-qa", "hello there"));
    TestDb.awaitClassified(send(conversation, 1, "subj-qa", "thanks, bye"));
    List<ReviewCaseEntity> all = TestDb.cases(conversation);
    assertThat(all).hasSize(1);
    assertThat(all.get(0).queue).isEqualTo("QA");
  }

  @Test
  void gatewayOutageLeavesTurnStoredAndRetryClassifiesIt() {
    String conversation = "wa:" + UUID.randomUUID();
    String id =
        send(conversation, 0, "subj-outage", "outage-once:" + UUID.randomUUID() + " I hate you");
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.turn(id) != null);
    assertThat(TestDb.turn(id).classifiedAt).isNull();
    assertThat(TestDb.openCase(conversation)).isEmpty();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              retryJob.retryOlderThan(Instant.now().plusSeconds(1));
              return TestDb.turn(id).classifiedAt != null;
            });
    assertThat(TestDb.openCase(conversation)).isPresent();
  }

  @Test
  void claimsFollowSeverityThenAgeAndNeverCollideUnderConcurrency() throws Exception {
    TestDb.closeAllOpenCases();
    String mild = "wa:" + UUID.randomUUID();
    String threat = "wa:" + UUID.randomUUID();
    TestDb.awaitClassified(send(mild, 0, "subj-p1", "I hate you"));
    TestDb.awaitClassified(send(threat, 0, "subj-p2", "I will hurt you"));
    long mildId = TestDb.openCase(mild).orElseThrow().id;
    long threatId = TestDb.openCase(threat).orElseThrow().id;

    // Same age: the more severe case comes first.
    assertThat(cases.claimNext(Queue.STANDARD, "rev-a")).contains(threatId);
    cases.release(threatId, "rev-a");
    // A mild case that has waited a day outranks a fresh severe one.
    TestDb.sql(
        "update safety.review_case set opened_at = now() - interval '1 day' where id = ?1", mildId);
    assertThat(cases.claimNext(Queue.STANDARD, "rev-a")).contains(mildId);
    // Asking again returns the case already held, not a second one.
    assertThat(cases.claimNext(Queue.STANDARD, "rev-a")).contains(mildId);
    // Someone else gets the other case; then the queue is empty for a third reviewer.
    assertThat(cases.claimNext(Queue.STANDARD, "rev-b")).contains(threatId);
    assertThat(cases.claimNext(Queue.STANDARD, "rev-c")).isEmpty();
    // An expired claim returns the case to the queue.
    TestDb.sql(
        "update safety.review_case set claim_expires_at = now() - interval '1 minute' where id = ?1",
        threatId);
    assertThat(cases.claimNext(Queue.STANDARD, "rev-c")).contains(threatId);

    // Concurrency: 12 reviewers race for 8 fresh cases; each case goes to exactly one reviewer.
    TestDb.closeAllOpenCases();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      events.add(send("wa:" + UUID.randomUUID(), 0, "subj-race-" + i, "I hate you"));
    }
    events.forEach(TestDb::awaitClassified);
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Callable<Optional<Long>>> claims = new ArrayList<>();
      for (int r = 0; r < 12; r++) {
        String reviewer = "racer-" + r;
        claims.add(() -> cases.claimNext(Queue.STANDARD, reviewer));
      }
      List<Long> won = new ArrayList<>();
      for (Future<Optional<Long>> f : pool.invokeAll(claims)) {
        f.get().ifPresent(won::add);
      }
      Set<Long> distinct = new HashSet<>(won);
      assertThat(won).hasSize(8);
      assertThat(distinct).hasSize(8);
    } finally {
      pool.shutdownNow();
    }
  }

  static String sampledConversation() {
    return conversationWhere(true);
  }

  static String unsampledConversation() {
    return conversationWhere(false);
  }

  /** The default 1% sample is a hash of the id, so we can pick ids on either side of it. */
  private static String conversationWhere(boolean sampled) {
    while (true) {
      String id = "wa:" + UUID.randomUUID();
      if (QaSampler.sampled(id, 0.01) == sampled) {
        return id;
      }
    }
  }

  private static EnforcementAction parse(byte[] value) {
    try {
      return EnforcementAction.parseFrom(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
