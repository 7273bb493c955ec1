package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class WebhookIntakeTest {
  private static final SubjectIds SUBJECTS = new SubjectIds("dev-only-pepper-change-me-0001");

  private KafkaProbe inbound;

  @BeforeEach
  void openProbe() {
    GraphApiStandIn.resetToDefaults();
    inbound = new KafkaProbe(Topics.INBOUND);
  }

  @AfterEach
  void closeProbe() {
    inbound.close();
  }

  @Test
  void aSignedTextMessageBecomesAnInboundEventOnKafkaBeforeThe200() throws Exception {
    String waId = Webhooks.newWaId();
    String wamid = Webhooks.newWamid();

    Webhooks.postSigned(Webhooks.textWebhook(waId, wamid, "Hello there"), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);

    InboundEvent event = awaitEvent("wa:" + wamid);
    String subject = SUBJECTS.of("+" + waId);
    assertEquals(subject, event.getSubjectId());
    assertEquals("wa:" + subject, event.getConversationId());
    assertEquals("+" + waId, event.getUserE164());
    assertEquals(Channel.CHANNEL_WHATSAPP, event.getChannel());
    assertEquals(Topics.OUTBOUND_WHATSAPP, event.getReplyRoute().getTopic());
    assertEquals(-1, event.getReplyRoute().getPartition());
    assertEquals(Webhooks.NUMBER_ONE, event.getReplyRoute().getChannelAddress());
    assertEquals(wamid, event.getUserMessage().getProviderMessageId());
    assertTrue(event.getUserMessage().getExpectsReply());
    assertEquals("Hello there", event.getUserMessage().getParts(0).getText());
  }

  @Test
  void theMessageIsMarkedReadWithATypingIndicatorOnceAccepted() {
    String wamid = Webhooks.newWamid();
    Webhooks.postSigned(
            Webhooks.textWebhook(Webhooks.newWaId(), wamid, "Are you there?"), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo("/v23.0/" + Webhooks.NUMBER_ONE + "/messages"))
                            .withHeader(
                                "Authorization",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                    "Bearer test-token-one"))
                            .withRequestBody(
                                equalToJson(
                                    "{\"messaging_product\":\"whatsapp\",\"status\":\"read\","
                                        + "\"message_id\":\""
                                        + wamid
                                        + "\",\"typing_indicator\":{\"type\":\"text\"}}"))));
  }

  @Test
  void aMissingSignatureIs401AndNothingIsKept() {
    String wamid = Webhooks.newWamid();
    byte[] body =
        Webhooks.textWebhook(Webhooks.newWaId(), wamid, "unsigned")
            .getBytes(StandardCharsets.UTF_8);
    Webhooks.postRaw(body, null).then().statusCode(401);
    assertNeverPublished(wamid);
  }

  @Test
  void aSignatureWithTheWrongSecretIs401() {
    String wamid = Webhooks.newWamid();
    Webhooks.postSigned(
            Webhooks.textWebhook(Webhooks.newWaId(), wamid, "forged"), "not-the-app-secret")
        .then()
        .statusCode(401);
    assertNeverPublished(wamid);
  }

  @Test
  void aTamperedBodyIs401() {
    String wamid = Webhooks.newWamid();
    String original = Webhooks.textWebhook(Webhooks.newWaId(), wamid, "pay 10 dollars");
    String signature =
        dev.switchboard.whatsapp.webhook.SignatureVerifier.sign(
            Webhooks.SECRET_ONE, original.getBytes(StandardCharsets.UTF_8));
    byte[] tampered =
        original.replace("pay 10 dollars", "pay 99 dollars").getBytes(StandardCharsets.UTF_8);
    Webhooks.postRaw(tampered, signature).then().statusCode(401);
    assertNeverPublished(wamid);
  }

  @Test
  void aSignedBodyThatIsNotACloudApiEnvelopeIs400() {
    Webhooks.postSigned("{\"hello\":\"world\"}", Webhooks.SECRET_ONE).then().statusCode(400);
    Webhooks.postSigned("not json at all", Webhooks.SECRET_ONE).then().statusCode(400);
    Webhooks.postSigned(
            "{\"object\":\"whatsapp_business_account\",\"entry\":{}}", Webhooks.SECRET_ONE)
        .then()
        .statusCode(400);
  }

  private InboundEvent awaitEvent(String eventId) throws Exception {
    List<ConsumerRecord<String, byte[]>> records =
        inbound.readUntil(seen -> find(seen, eventId) != null, Duration.ofSeconds(15));
    InboundEvent event = find(records, eventId);
    assertTrue(event != null, "no inbound event " + eventId + " on Kafka");
    return event;
  }

  /** Publishes a valid sentinel after the refused one and reads up to it. */
  private void assertNeverPublished(String wamid) {
    String sentinel = Webhooks.newWamid();
    Webhooks.postSigned(
            Webhooks.textWebhook(Webhooks.newWaId(), sentinel, "sentinel"), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
    List<ConsumerRecord<String, byte[]>> records =
        inbound.readUntil(seen -> find(seen, "wa:" + sentinel) != null, Duration.ofSeconds(15));
    assertTrue(find(records, "wa:" + sentinel) != null, "sentinel never arrived");
    assertFalse(find(records, "wa:" + wamid) != null, "a refused webhook reached Kafka");
  }

  static InboundEvent find(List<ConsumerRecord<String, byte[]>> records, String eventId) {
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        InboundEvent event = InboundEvent.parseFrom(record.value());
        if (event.getEventId().equals(eventId)) {
          return event;
        }
      } catch (Exception e) {
        // Someone else's record; not ours.
      }
    }
    return null;
  }
}
