package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.KafkaProbe;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class MediaTest {
  private static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";

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

  /** Meta's media endpoint: id -> short-lived URL -> bytes, both behind the number's token. */
  private static void mediaAtMeta(String mediaId, String mime, byte[] bytes) {
    String path = "/media-download/" + UUID.randomUUID();
    GraphApiStandIn.server()
        .stubFor(
            get(urlEqualTo("/v23.0/" + mediaId))
                .withHeader("Authorization", equalTo("Bearer test-token-one"))
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                            "{\"messaging_product\":\"whatsapp\",\"url\":\""
                                + GraphApiStandIn.server().baseUrl()
                                + path
                                + "\",\"mime_type\":\""
                                + mime
                                + "\",\"sha256\":\"x\",\"file_size\":"
                                + bytes.length
                                + ",\"id\":\""
                                + mediaId
                                + "\"}")));
    GraphApiStandIn.server()
        .stubFor(
            get(urlEqualTo(path))
                .withHeader("Authorization", equalTo("Bearer test-token-one"))
                .willReturn(aResponse().withHeader("Content-Type", mime).withBody(bytes)));
  }

  private static String post(String waId, String wamid, String type, String mediaJson) {
    String message =
        "{\"from\":\""
            + waId
            + "\",\"id\":\""
            + wamid
            + "\",\"timestamp\":\""
            + System.currentTimeMillis() / 1000
            + "\",\"type\":\""
            + type
            + "\",\""
            + type
            + "\":"
            + mediaJson
            + "}";
    Webhooks.postSigned(Webhooks.envelope(Webhooks.NUMBER_ONE, waId, message), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
    return "wa:" + wamid;
  }

  private InboundEvent awaitEvent(String eventId) {
    List<ConsumerRecord<String, byte[]>> seen =
        inbound.readUntil(s -> WebhookIntakeTest.find(s, eventId) != null, Duration.ofSeconds(20));
    InboundEvent event = WebhookIntakeTest.find(seen, eventId);
    assertTrue(event != null, "no event " + eventId);
    return event;
  }

  @Test
  void aVoiceNoteIsDownloadedTranscribedAndSentAsTheUsersWords() {
    String mediaId = "MEDIA-V-" + UUID.randomUUID();
    mediaAtMeta(mediaId, "audio/ogg; codecs=opus", SpeechToTextStandIn.KNOWN_RECORDING);
    String eventId =
        post(
            Webhooks.newWaId(),
            Webhooks.newWamid(),
            "audio",
            "{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":\"x\",\"id\":\""
                + mediaId
                + "\",\"voice\":true}");

    InboundEvent event = awaitEvent(eventId);
    MediaPart voice = event.getUserMessage().getParts(0).getMedia();
    assertEquals(MediaPart.Kind.KIND_VOICE_NOTE, voice.getKind());
    assertEquals(mediaId, voice.getProviderMediaId(), "the media reference is kept");
    assertEquals(SpeechToTextStandIn.TRANSCRIPT, voice.getTranscript());
    assertEquals(SpeechToTextStandIn.TRANSCRIPT, event.getUserMessage().getParts(1).getText());
    assertEquals("en", event.getUserMessage().getLanguage());
    assertTrue(event.getUserMessage().getExpectsReply());
  }

  @Test
  void aPhotoIsDownloadedAndGivenInlineWithItsCaption() {
    byte[] jpeg = new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
    String mediaId = "MEDIA-I-" + UUID.randomUUID();
    mediaAtMeta(mediaId, "image/jpeg", jpeg);
    String eventId =
        post(
            Webhooks.newWaId(),
            Webhooks.newWamid(),
            "image",
            "{\"caption\":\"what plant is this?\",\"mime_type\":\"image/jpeg\",\"sha256\":\"x\","
                + "\"id\":\""
                + mediaId
                + "\"}");

    InboundEvent event = awaitEvent(eventId);
    MediaPart image = event.getUserMessage().getParts(0).getMedia();
    assertEquals(MediaPart.Kind.KIND_IMAGE, image.getKind());
    assertArrayEquals(jpeg, image.getInlineData().toByteArray());
    assertEquals("image/jpeg", image.getMimeType());
    assertEquals("what plant is this?", event.getUserMessage().getParts(1).getText());
  }

  @Test
  void aMediaFailureGetsAClearReplyAMetricAndIsRecordedUnanswered() {
    String wamid = Webhooks.newWamid();
    // No stub for this media id: Meta's media endpoint answers 404.
    String eventId =
        post(
            Webhooks.newWaId(),
            wamid,
            "audio",
            "{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":\"x\",\"id\":\"MEDIA-GONE-"
                + UUID.randomUUID()
                + "\",\"voice\":true}");

    InboundEvent event = awaitEvent(eventId);
    assertFalse(event.getUserMessage().getExpectsReply(), "the channel answers this one itself");
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                GraphApiStandIn.server()
                    .verify(
                        1,
                        postRequestedFor(urlEqualTo(MESSAGES_PATH))
                            .withRequestBody(
                                matchingJsonPath("$.context.message_id", equalTo(wamid)))
                            .withRequestBody(
                                matchingJsonPath(
                                    "$.text.body",
                                    com.github.tomakehurst.wiremock.client.WireMock.containing(
                                        "couldn't open your attachment")))));
    String metrics = given().when().get("/q/metrics").then().extract().asString();
    assertTrue(metrics.contains("whatsapp_media_failures_total{stage=\"download\""), "no metric");
  }

  @Test
  void anUnrecognisableRecordingIsAFailureToo() {
    String mediaId = "MEDIA-N-" + UUID.randomUUID();
    mediaAtMeta(mediaId, "audio/ogg; codecs=opus", new byte[] {1, 2, 3});
    String wamid = Webhooks.newWamid();
    String eventId =
        post(
            Webhooks.newWaId(),
            wamid,
            "audio",
            "{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":\"x\",\"id\":\""
                + mediaId
                + "\",\"voice\":true}");
    InboundEvent event = awaitEvent(eventId);
    assertFalse(event.getUserMessage().getExpectsReply());
    String metrics = given().when().get("/q/metrics").then().extract().asString();
    assertTrue(metrics.contains("whatsapp_media_failures_total{stage=\"transcription\""));
  }
}
