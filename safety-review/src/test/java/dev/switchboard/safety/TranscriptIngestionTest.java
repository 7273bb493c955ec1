package dev.switchboard.safety;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.TranscriptTurn;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.safety.cases.CaseReader;
import dev.switchboard.safety.cases.CaseView;
import dev.switchboard.safety.crypto.OriginalText;
import dev.switchboard.safety.crypto.TranscriptCipher;
import dev.switchboard.safety.persistence.TranscriptTurnEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Ingestion from the real broker into the real database. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class TranscriptIngestionTest {
  private final TranscriptCipher cipher;
  private final CaseReader cases;

  TranscriptIngestionTest(TranscriptCipher cipher, CaseReader cases) {
    this.cipher = cipher;
    this.cases = cases;
  }

  @Test
  void aCorrectedTranscriptOfATalkedOverReplyUpdatesTheStoredTurn() throws Exception {
    String conversation = "call:" + UUID.randomUUID();
    String userText = "I hate you, tell me about Bedrock";
    String whole = "Bedrock is a town. The Flintstones live there with Dino.";
    String heard = "Bedrock is a town. The Flintstones";
    TranscriptTurn first = TestTurns.turn(conversation, 1, "subj-talked-over", userText, whole);
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, first.toByteArray());
    // Classified (and a case opened: the stand-in flags "hate you") before the correction comes.
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDb.openCase(conversation).isPresent());
    TranscriptTurn correction =
        first.toBuilder()
            .setEventId(first.getEventId() + ":interrupted")
            .setAssistantText(heard)
            .setInterrupted(true)
            .build();

    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, correction.toByteArray());
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, correction.toByteArray()); // again

    awaitInterrupted(first.getEventId());
    Thread.sleep(500); // the redelivered correction has had its chance to add a turn
    TranscriptTurnEntity turn = stored(first.getEventId());
    assertThat(turn.assistantTextDisplay).isEqualTo(heard);
    assertThat(turn.classifiedAt).as("the person's words stay classified").isNotNull();
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> TranscriptTurnEntity.count("conversationId", conversation)))
        .as("one turn, corrected, not a second one")
        .isEqualTo(1);
    OriginalText original =
        OriginalText.fromBytes(cipher.decrypt(turn.originalCiphertext, first.getEventId()));
    assertThat(original.assistantText()).isEqualTo(heard);
    assertThat(original.userText()).isEqualTo(userText);

    // What a reviewer sees on the case: the turn as heard, marked interrupted.
    long caseId = TestDb.openCase(conversation).orElseThrow().id;
    CaseView view =
        QuarkusTransaction.requiringNew().call(() -> cases.view(caseId, true).orElseThrow());
    assertThat(view.turns()).hasSize(1);
    assertThat(view.turns().get(0).interrupted()).isTrue();
    assertThat(view.turns().get(0).assistantText()).isEqualTo(heard);
  }

  @Test
  void aCorrectionRightBehindItsTurnInTheSameBatchStillLeavesOneTurn() throws Exception {
    String conversation = "call:" + UUID.randomUUID();
    TranscriptTurn first =
        TestTurns.turn(conversation, 0, "subj-same-batch", "What is Bedrock?", "A town. Nice.");
    TranscriptTurn correction =
        first.toBuilder()
            .setEventId(first.getEventId() + ":interrupted")
            .setAssistantText("A town.")
            .setInterrupted(true)
            .build();
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, first.toByteArray());
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, correction.toByteArray());

    awaitInterrupted(first.getEventId());
    Thread.sleep(300);
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> TranscriptTurnEntity.count("conversationId", conversation)))
        .isEqualTo(1);
    assertThat(stored(first.getEventId()).assistantTextDisplay).isEqualTo("A town.");
  }

  /** Waits until the turn of {@code eventId} is stored marked interrupted (its correction ran). */
  private static void awaitInterrupted(String eventId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              TranscriptTurnEntity t = stored(eventId);
              return t != null && t.interrupted;
            });
  }

  private static TranscriptTurnEntity stored(String eventId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> TranscriptTurnEntity.<TranscriptTurnEntity>findById(eventId));
  }

  @Test
  void storesEachTurnOnceWithRedactedDisplayCopyAndEncryptedOriginal() throws Exception {
    String conversation = "wa:" + UUID.randomUUID();
    String userText = "Call me at +1 415 555 0132 or mail jane.doe@example.com";
    TranscriptTurn turn = TestTurns.turn(conversation, 0, "subj-ingest", userText, "Sure.");
    double duplicatesBefore = counter("duplicate");

    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray());
    TestKafka.send(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter("duplicate") >= duplicatesBefore + 1);
    TranscriptTurnEntity stored =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  assertThat(TranscriptTurnEntity.count("conversationId", conversation))
                      .isEqualTo(1);
                  return TranscriptTurnEntity.<TranscriptTurnEntity>findById(turn.getEventId());
                });
    assertThat(stored.userTextDisplay).isEqualTo("Call me at [PHONE] or mail [EMAIL]");
    assertThat(stored.redactionCount).isEqualTo(2);
    assertThat(new String(stored.originalCiphertext, StandardCharsets.UTF_8))
        .doesNotContain("jane.doe");
    OriginalText original =
        OriginalText.fromBytes(cipher.decrypt(stored.originalCiphertext, turn.getEventId()));
    assertThat(original.userText()).isEqualTo(userText);
  }

  @Test
  void unparseableRecordGoesToDeadLetterTopicWithReasonAndIngestionContinues() {
    String badKey = "bad-" + UUID.randomUUID();
    String conversation = "wa:" + UUID.randomUUID();
    try (KafkaConsumer<String, byte[]> dlq =
        TestKafka.consumerFromStart(Topics.deadLetterOf(Topics.SAFETY_TRANSCRIPTS))) {
      TestKafka.send(
          Topics.SAFETY_TRANSCRIPTS,
          badKey,
          "not protobuf \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1));
      TestKafka.send(
          Topics.SAFETY_TRANSCRIPTS,
          conversation,
          TestTurns.turn(conversation, 0, "subj-after-bad", "hello", "hi").toByteArray());

      ConsumerRecord<String, byte[]> dead = TestKafka.awaitKey(dlq, badKey, Duration.ofSeconds(30));
      assertThat(dead).as("record on safety.transcripts.dlq").isNotNull();
      assertThat(
              new String(
                  dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
          .contains("TranscriptTurn");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                QuarkusTransaction.requiringNew()
                        .call(() -> TranscriptTurnEntity.count("conversationId", conversation))
                    == 1);
  }

  @Test
  void readinessCoversKafkaAndDatabase() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonPath health =
                  given().when().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
              assertThat(health.getString("status")).isEqualTo("UP");
              assertThat(health.getList("checks.name", String.class))
                  .anySatisfy(n -> assertThat(n).containsIgnoringCase("database"))
                  .anySatisfy(n -> assertThat(n).containsIgnoringCase("messaging"));
            });
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("safety_transcripts_ingested_total"));
  }

  private static double counter(String result) {
    String metrics = given().when().get("/q/metrics").then().extract().asString();
    Matcher m =
        Pattern.compile(
                "safety_transcripts_ingested_total\\{[^}]*result=\"" + result + "\"[^}]*\\} (\\S+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
