package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.SampleWebhook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One WhatsApp turn across the real, packaged services started by the launcher a user runs: a
 * signed webhook in, a reply out at the Graph API stand-in, and no second reply when Meta
 * redelivers the same webhook.
 */
class WhatsAppTurnIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final String USER_WA_ID = "15557654321";

  private static WireMockServer graphApi;
  private static Platform platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    graphApi = GraphApiStandIn.start();
    platform = TestPlatform.start("platform", graphApi.baseUrl(), Map.of());
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (graphApi != null) {
      graphApi.stop();
    }
  }

  @Test
  void signedWebhookIsAnsweredOnceEvenWhenRedelivered() throws Exception {
    byte[] ping =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), USER_WA_ID, "wamid.system-test-1", "ping", Instant.now());

    assertEquals(200, SampleWebhook.post(platform.whatsAppWebhookUrl(), ping, NUMBER.appSecret()));
    List<JsonNode> replies = awaitTextReplies(1);
    JsonNode reply = replies.get(0);
    assertEquals("whatsapp", reply.path("messaging_product").asText());
    assertEquals(USER_WA_ID, reply.path("to").asText());
    assertEquals(EXPECTED_FIRST_REPLY, reply.path("text").path("body").asText());

    // Meta redelivers the same webhook; then the person writes again.
    assertEquals(200, SampleWebhook.post(platform.whatsAppWebhookUrl(), ping, NUMBER.appSecret()));
    byte[] second =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), USER_WA_ID, "wamid.system-test-2", "ping again", Instant.now());
    assertEquals(
        200, SampleWebhook.post(platform.whatsAppWebhookUrl(), second, NUMBER.appSecret()));

    // Per-conversation order means the redelivery was handled before the second message.
    List<JsonNode> all = awaitTextReplies(2);
    assertEquals(2, all.size(), "one reply per distinct message, none for the redelivery");
    assertEquals("pong", all.get(1).path("text").path("body").asText());
  }

  @Test
  void badSignatureIsRefusedAndNothingIsSent() throws Exception {
    byte[] body =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), "15550001111", "wamid.system-test-bad", "ping", Instant.now());
    assertEquals(401, SampleWebhook.post(platform.whatsAppWebhookUrl(), body, "not-the-secret"));
    assertEquals(0, textRepliesTo("15550001111").size());
  }

  /** A first contact gets the disclosure line above the answer. */
  private static final String EXPECTED_FIRST_REPLY =
      "_I'm Switchboard, an AI assistant. Our conversation may be reviewed for safety. Send"
          + " \"delete my data\" at any time to erase it._\n\npong";

  private static List<JsonNode> awaitTextReplies(int count) throws InterruptedException {
    return Eventually.await(
        count + " text replies at the Graph API",
        Duration.ofSeconds(60),
        () -> textRepliesTo(USER_WA_ID),
        replies -> replies.size() >= count);
  }

  private static List<JsonNode> textRepliesTo(String waId) {
    List<LoggedRequest> requests =
        graphApi.findAll(
            postRequestedFor(urlPathMatching(".*/messages"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.to", equalTo(waId))));
    return requests.stream().map(WhatsAppTurnIT::json).toList();
  }

  private static JsonNode json(LoggedRequest request) {
    try {
      return JSON.readTree(request.getBody());
    } catch (java.io.IOException e) {
      throw new AssertionError("The Graph API received a body that is not JSON", e);
    }
  }
}
