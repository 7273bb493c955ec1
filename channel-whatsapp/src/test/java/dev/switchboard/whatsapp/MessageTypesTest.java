package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.contracts.identity.SubjectIds;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class MessageTypesTest {
  private static final String PEPPER = "dev-only-pepper-change-me-0001";
  private static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";
  private static final List<String> ORDER =
      List.of(
          "text",
          "video",
          "document",
          "sticker",
          "location",
          "contacts",
          "button_reply",
          "list_reply",
          "button",
          "reaction",
          "unsupported");

  private KafkaProbe inbound;

  @BeforeEach
  void open() {
    GraphApiStandIn.resetToDefaults();
    inbound = new KafkaProbe(Topics.INBOUND);
  }

  @AfterEach
  void close() {
    inbound.close();
  }

  @Test
  void everyMessageTypeOfSeveralEntriesAndChangesBecomesAnEventInOrder() throws Exception {
    String waId = Webhooks.newWaId();
    String prefix = "wamid.T-" + UUID.randomUUID();
    // Fresh timestamps: a message older than 24 hours would (rightly) be answered by template.
    String now = String.valueOf(System.currentTimeMillis() / 1000 - 60);
    String body =
        fixture("every-type.json")
            .replace("@WAID@", waId)
            .replace("@P@", prefix)
            .replaceAll("\"timestamp\": \"176722560\\d\"", "\"timestamp\": \"" + now + "\"")
            .replaceAll("\"timestamp\": \"17672256\\d\\d\"", "\"timestamp\": \"" + now + "\"");

    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);

    List<ConsumerRecord<String, byte[]>> records =
        inbound.readUntil(
            seen -> ours(seen, prefix).size() == ORDER.size(), Duration.ofSeconds(20));
    List<InboundEvent> events = ours(records, prefix);
    List<String> kinds = new ArrayList<>();
    for (InboundEvent event : events) {
      kinds.add(event.getEventId().substring(("wa:" + prefix + ".").length()));
    }
    assertEquals(ORDER, kinds, "events must keep the payload's order");
    String subject = new SubjectIds(PEPPER).of("+" + waId);
    events.forEach(e -> assertEquals(subject, e.getSubjectId()));

    assertEquals("Café ☕ first", message(events, "text").getParts(0).getText());

    // Photos, voice notes and audio follow once downloaded (see MediaTest).
    MediaPart video = message(events, "video").getParts(0).getMedia();
    assertEquals(MediaPart.Kind.KIND_VIDEO, video.getKind());
    assertEquals("MEDIA-VIDEO-1", video.getProviderMediaId());
    assertEquals("video/mp4", video.getMimeType());
    assertEquals("look", message(events, "video").getParts(1).getText());
    MediaPart document = message(events, "document").getParts(0).getMedia();
    assertEquals(MediaPart.Kind.KIND_DOCUMENT, document.getKind());
    assertEquals("contract.pdf", document.getFileName());
    assertEquals(
        MediaPart.Kind.KIND_STICKER, message(events, "sticker").getParts(0).getMedia().getKind());

    var location = message(events, "location").getParts(0).getLocation();
    assertEquals(52.52, location.getLatitude(), 1e-9);
    assertEquals(13.405, location.getLongitude(), 1e-9);
    assertEquals("Brandenburger Tor", location.getName());
    assertEquals("Pariser Platz, Berlin", location.getAddress());

    String contacts = message(events, "contacts").getParts(0).getText();
    assertTrue(contacts.contains("Ada Lovelace"), contacts);
    assertTrue(contacts.contains("+44 20 7946 0000"), contacts);

    UserMessage buttonReply = message(events, "button_reply");
    assertEquals("Yes please", buttonReply.getParts(0).getText());
    assertEquals("wamid.OUR-QUESTION", buttonReply.getContextProviderMessageId());
    assertEquals("Tomorrow — after 9am", message(events, "list_reply").getParts(0).getText());
    UserMessage button = message(events, "button");
    assertEquals("Start again", button.getParts(0).getText());
    assertEquals("wamid.OUR-TEMPLATE", button.getContextProviderMessageId());

    UserMessage reaction = message(events, "reaction");
    assertFalse(reaction.getExpectsReply(), "reactions are recorded, not answered");
    assertTrue(reaction.getParts(0).getText().contains("👍"));
    assertFalse(message(events, "unsupported").getExpectsReply());
    events.stream()
        .filter(
            e -> !e.getEventId().endsWith(".reaction") && !e.getEventId().endsWith(".unsupported"))
        .forEach(e -> assertTrue(e.getUserMessage().getExpectsReply(), e.getEventId()));

    // The unsupported message gets the channel's polite answer, quoting it, exactly once.
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                            .withRequestBody(
                                matchingJsonPath(
                                    "$.context.message_id", equalTo(prefix + ".unsupported")))
                            .withRequestBody(
                                matchingJsonPath(
                                    "$.text.body",
                                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                                        "can't open that kind of message")))));
    // No read receipt or typing indicator for a reaction: we will not answer it.
    GraphApiStandIn.server()
        .verify(
            0,
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.message_id", equalTo(prefix + ".reaction"))));
  }

  @Test
  void aSenderKnownOnlyByBusinessScopedUserIdIsAnsweredThroughThatId() throws Exception {
    String userId = "US." + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String wamid = Webhooks.newWamid();
    String body =
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[{"
            + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
            + "{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\""
            + Webhooks.NUMBER_ONE
            + "\"},\"contacts\":[{\"profile\":{\"name\":\"Anon\",\"username\":\"@anon\"},"
            + "\"user_id\":\""
            + userId
            + "\"}],\"messages\":[{\"from_user_id\":\""
            + userId
            + "\",\"id\":\""
            + wamid
            + "\",\"timestamp\":\""
            + System.currentTimeMillis() / 1000
            + "\",\"type\":\"text\",\"text\":{\"body\":\"hi, no number here\"}}]}}]}]}";

    Webhooks.postSigned(body, Webhooks.SECRET_ONE).then().statusCode(200);

    List<ConsumerRecord<String, byte[]>> records =
        inbound.readUntil(
            seen -> WebhookIntakeTest.find(seen, "wa:" + wamid) != null, Duration.ofSeconds(15));
    InboundEvent event = WebhookIntakeTest.find(records, "wa:" + wamid);
    assertTrue(event != null);
    assertEquals(hmac("wa-user:" + userId), event.getSubjectId());
    assertEquals("", event.getUserE164(), "no number was given, none is invented");

    var reply = ReplyDeliveryTest.reply(event.getSubjectId(), "wa:" + wamid + ":reply:0", "Hello!");
    KafkaProbe.produce(Topics.OUTBOUND_WHATSAPP, reply.getConversationId(), reply);
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withRequestBody(
                                equalToJson(
                                    "{\"messaging_product\":\"whatsapp\",\"recipient_type\":"
                                        + "\"individual\",\"recipient\":\""
                                        + userId
                                        + "\",\"type\":\"text\",\"text\":{\"body\":\"Hello!\"}}"))));
  }

  private static String hmac(String input) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(PEPPER.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
  }

  private static UserMessage message(List<InboundEvent> events, String kind) {
    return events.stream()
        .filter(e -> e.getEventId().endsWith("." + kind))
        .findFirst()
        .orElseThrow()
        .getUserMessage();
  }

  /** Our events in offset order (one person, one key, one partition). */
  private static List<InboundEvent> ours(List<ConsumerRecord<String, byte[]>> records, String p) {
    List<InboundEvent> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        InboundEvent event = InboundEvent.parseFrom(record.value());
        if (event.getEventId().startsWith("wa:" + p + ".")
            && !event.getEventId().matches(".*\\.(image|voice|audio)$")) {
          events.add(event);
        }
      } catch (Exception e) {
        // not ours
      }
    }
    return events;
  }

  static String fixture(String name) throws Exception {
    try (InputStream in = MessageTypesTest.class.getResourceAsStream("/webhooks/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
