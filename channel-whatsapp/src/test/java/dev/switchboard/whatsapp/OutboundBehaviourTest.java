package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.persistence.OutboundMessageEntity;
import dev.switchboard.whatsapp.persistence.OutboundMessageRepository;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class OutboundBehaviourTest {
  static final SubjectIds SUBJECTS = new SubjectIds("dev-only-pepper-change-me-0001");
  static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";

  @Inject OutboundMessageRepository records;

  @BeforeEach
  void reset() {
    GraphApiStandIn.resetToDefaults();
  }

  /** A person who just wrote to us; returns the inbound event id. */
  private static String personWrites(String waId, long secondsAgo) {
    String wamid = Webhooks.newWamid();
    String message =
        "{\"from\":\""
            + waId
            + "\",\"id\":\""
            + wamid
            + "\",\"timestamp\":\""
            + (System.currentTimeMillis() / 1000 - secondsAgo)
            + "\",\"text\":{\"body\":\"hello\"},\"type\":\"text\"}";
    Webhooks.postSigned(Webhooks.envelope(Webhooks.NUMBER_ONE, waId, message), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
    return "wa:" + wamid;
  }

  private static OutboundEvent replyTo(String waId, String inboundId, String text) {
    OutboundEvent event =
        ReplyDeliveryTest.reply(SUBJECTS.of("+" + waId), inboundId + ":reply:0", text);
    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, event.getConversationId(), event);
    return event;
  }

  private static List<LoggedRequest> textSendsTo(String waId) {
    return GraphApiStandIn.server()
        .findAll(
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId))));
  }

  @Test
  void aLongMarkdownReplyArrivesFormattedInOrderedPartsOfAtMost4096() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    StringBuilder text = new StringBuilder("## Your plan\n\n");
    for (int p = 1; p <= 6; p++) {
      text.append("**Step ").append(p).append("**: ");
      text.append(("Paragraph " + p + " says something useful. ").repeat(45)).append("\n\n");
    }
    replyTo(waId, inbound, text.toString());

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> textSendsTo(waId).size() >= 3);
    List<LoggedRequest> sends = textSendsTo(waId);
    StringBuilder received = new StringBuilder();
    int lastStep = 0;
    for (LoggedRequest send : sends) {
      String body = send.getBodyAsString();
      String partText = readTextBody(body);
      assertTrue(partText.length() <= 4096, "part longer than 4096");
      received.append(partText).append("\n\n");
      // Parts come in order: the step numbers only grow.
      for (int p = 1; p <= 6; p++) {
        if (partText.contains("*Step " + p + "*")) {
          assertTrue(p > lastStep, "parts out of order");
          lastStep = p;
        }
      }
    }
    assertEquals(6, lastStep);
    assertTrue(received.toString().startsWith("*Your plan*\n\n*Step 1*: Paragraph 1"));
    assertTrue(!received.toString().contains("**"), "Markdown bold must be converted");
  }

  @Test
  void throttlingIsRetriedWithBackoffAndTheReplyGoesOnce() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    String scenario = "throttled-" + UUID.randomUUID();
    GraphApiStandIn.server()
        .stubFor(
            post(urlEqualTo(MESSAGES_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("one-429")
                .willReturn(graphError(429, 130429, "Rate limit hit")));
    GraphApiStandIn.server()
        .stubFor(
            post(urlEqualTo(MESSAGES_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))
                .inScenario(scenario)
                .whenScenarioStateIs("one-429")
                .willSetStateTo("one-503")
                .willReturn(graphError(503, 131000, "Something went wrong")));
    OutboundEvent reply = replyTo(waId, inbound, "Thanks for waiting.");

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                records.byEventId(reply.getEventId()).map(r -> r.state).orElse("").equals("SENT"));
    assertEquals(3, textSendsTo(waId).size(), "two refusals, then one accepted send");
    assertEquals(3, records.byEventId(reply.getEventId()).orElseThrow().attempts);
  }

  @Test
  void aPermanentErrorIsRecordedAndNotRetried() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    GraphApiStandIn.server()
        .stubFor(
            post(urlEqualTo(MESSAGES_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))
                .willReturn(graphError(400, 131026, "Message undeliverable")));
    OutboundEvent reply = replyTo(waId, inbound, "You will never see this.");

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                records
                    .byEventId(reply.getEventId())
                    .map(r -> r.state)
                    .orElse("")
                    .equals("FAILED"));
    OutboundMessageEntity record = records.byEventId(reply.getEventId()).orElseThrow();
    assertEquals(131026, record.errorCode);
    assertEquals(1, textSendsTo(waId).size(), "a permanent error must not be retried");
  }

  @Test
  void outsideThe24HourWindowTheTemplateGoesInstead() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 25 * 3600);
    OutboundEvent reply = replyTo(waId, inbound, "Late answer");

    String template =
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\""
            + waId
            + "\",\"type\":\"template\",\"template\":{\"name\":\"reopen_conversation\","
            + "\"language\":{\"code\":\"en\"}}}";
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withRequestBody(equalToJson(template))));
    GraphApiStandIn.server()
        .verify(
            0,
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId))));
    assertEquals("TEMPLATE", records.byEventId(reply.getEventId()).orElseThrow().kind);
  }

  @Test
  void error131047AlsoFallsBackToTheTemplate() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    GraphApiStandIn.server()
        .stubFor(
            post(urlEqualTo(MESSAGES_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .willReturn(graphError(400, 131047, "Re-engagement message")));
    OutboundEvent reply = replyTo(waId, inbound, "Answer after a long think");

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                records.byEventId(reply.getEventId()).map(r -> r.kind).orElse("").equals("TEMPLATE")
                    && records.byEventId(reply.getEventId()).orElseThrow().state.equals("SENT"));
    GraphApiStandIn.server()
        .verify(
            1,
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId)))
                .withRequestBody(
                    matchingJsonPath("$.template.name", equalTo("reopen_conversation"))));
  }

  @Test
  void statusesMoveTheRecordForwardAndFailuresKeepTheirCode() {
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    OutboundEvent reply = replyTo(waId, inbound, "Tracked");
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                records.byEventId(reply.getEventId()).map(r -> r.state).orElse("").equals("SENT"));
    String wamid = records.byEventId(reply.getEventId()).orElseThrow().wamid;

    postStatuses(waId, status(wamid, "delivered", null), status(wamid, "read", null));
    assertEquals("READ", records.byEventId(reply.getEventId()).orElseThrow().state);
    // A late "sent" or "delivered" never moves it back.
    postStatuses(waId, status(wamid, "sent", null));
    assertEquals("READ", records.byEventId(reply.getEventId()).orElseThrow().state);
    postStatuses(
        waId,
        status(
            wamid, "failed", "[{\"code\":131050,\"title\":\"User stopped marketing messages\"}]"));
    OutboundMessageEntity failed = records.byEventId(reply.getEventId()).orElseThrow();
    assertEquals("FAILED", failed.state);
    assertEquals(131050, failed.errorCode);
  }

  @Test
  void valueLevelErrorsAreCounted() {
    String body =
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{"
            + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
            + "{\"display_phone_number\":\"1\",\"phone_number_id\":\""
            + Webhooks.NUMBER_ONE
            + "\"},\"errors\":[{\"code\":131008,\"title\":\"Required parameter is missing\"}]}}]}]}";
    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(
        metrics.contains("whatsapp_webhook_errors_total{code=\"131008\"")
            || metrics.contains("whatsapp_webhook_errors_total{code=\"131008\","),
        "error 131008 not counted");
  }

  @Test
  void anUnparseableOutboundRecordGoesToTheDeadLetterTopicWithTheReason() {
    try (KafkaProbe dlq = new KafkaProbe(Topics.deadLetterOf(Topics.OUTBOUND_WHATSAPP))) {
      KafkaProbe.produceBytes(
          Topics.OUTBOUND_WHATSAPP, "wa:garbage", new byte[] {(byte) 0xff, 0x01, 0x02});
      List<ConsumerRecord<String, byte[]>> dead =
          dlq.readUntil(seen -> !seen.isEmpty(), Duration.ofSeconds(15));
      assertEquals(1, dead.size());
      String reason = new String(dead.get(0).headers().lastHeader("dead-letter-reason").value());
      assertTrue(reason.contains("not an OutboundEvent"), reason);
    }
    // The partition keeps moving: a good reply after it is still sent.
    String waId = Webhooks.newWaId();
    String inbound = personWrites(waId, 0);
    replyTo(waId, inbound, "still here");
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> textSendsTo(waId).size() == 1);
  }

  private static String readTextBody(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json)
          .path("text")
          .path("body")
          .asText();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String status(String wamid, String state, String errors) {
    return "{\"id\":\""
        + wamid
        + "\",\"status\":\""
        + state
        + "\",\"timestamp\":\""
        + System.currentTimeMillis() / 1000
        + "\",\"recipient_id\":\"1\""
        + (errors == null ? "" : ",\"errors\":" + errors)
        + "}";
  }

  private static void postStatuses(String waId, String... statuses) {
    String body =
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{"
            + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
            + "{\"display_phone_number\":\"1\",\"phone_number_id\":\""
            + Webhooks.NUMBER_ONE
            + "\"},\"statuses\":["
            + String.join(",", statuses)
            + "]}}]}]}";
    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder graphError(
      int status, int code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(
            "{\"error\":{\"message\":\""
                + message
                + "\",\"type\":\"OAuthException\",\"code\":"
                + code
                + ",\"fbtrace_id\":\"AbC\"}}");
  }
}
