package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.Channel;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.ReplyMessage;
import dev.switchboard.contracts.events.ReplyRoute;
import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class ReplyDeliveryTest {
  static final SubjectIds SUBJECTS = new SubjectIds("dev-only-pepper-change-me-0001");
  static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";

  @BeforeEach
  void reset() {
    GraphApiStandIn.resetToDefaults();
  }

  @Test
  void anOutboundReplyIsSentOnceWithTheDocumentedBodyEvenWhenRedelivered() {
    String waId = Webhooks.newWaId();
    String wamid = Webhooks.newWamid();
    Webhooks.postSigned(Webhooks.textWebhook(waId, wamid, "What time is it?"), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
    String subject = SUBJECTS.of("+" + waId);
    // The model writes Markdown; WhatsApp gets its own bold.
    OutboundEvent reply = reply(subject, "wa:" + wamid + ":reply:0", "It is **noon**.");

    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, reply.getConversationId(), reply);

    String expectedBody =
        "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\""
            + waId
            + "\",\"type\":\"text\",\"text\":{\"body\":\"It is *noon*.\"}}";
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withHeader("Authorization", equalTo("Bearer test-token-one"))
                            .withRequestBody(equalToJson(expectedBody))));

    // The same event again (a redelivery), then a different one as a marker that the consumer
    // has moved past the duplicate.
    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, reply.getConversationId(), reply);
    OutboundEvent marker = reply(subject, "wa:" + wamid + ":reply:marker", "marker");
    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, marker.getConversationId(), marker);
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withRequestBody(matchingJsonPath("$.text.body", equalTo("marker")))));
    List<LoggedRequest> sends =
        GraphApiStandIn.server()
            .findAll(
                postRequestedFor(urlEqualTo(MESSAGES_PATH))
                    .withRequestBody(matchingJsonPath("$.text.body", equalTo("It is *noon*."))));
    assertEquals(1, sends.size(), "the redelivered reply was sent again");
  }

  static OutboundEvent reply(String subject, String eventId, String text) {
    String inboundId = eventId.substring(0, eventId.indexOf(":reply:"));
    return OutboundEvent.newBuilder()
        .setEventId(eventId)
        .setConversationId("wa:" + subject)
        .setSubjectId(subject)
        .setChannel(Channel.CHANNEL_WHATSAPP)
        .setReplyRoute(
            ReplyRoute.newBuilder()
                .setTopic(Topics.OUTBOUND_WHATSAPP)
                .setPartition(-1)
                .setChannelAddress(Webhooks.NUMBER_ONE))
        .setReplyMessage(ReplyMessage.newBuilder().setInReplyTo(inboundId).setText(text))
        .build();
  }
}
