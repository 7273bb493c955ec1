package dev.switchboard.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import dev.switchboard.whatsapp.support.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * When the Graph API is slow, read receipts do not pile up ahead of replies on the shared
 * connections: beyond the in-flight limit a receipt is skipped and counted, and once the slow ones
 * finish, receipts go out again. Every webhook is still acknowledged.
 */
@QuarkusTest
@TestProfile(ReadReceiptBackPressureTest.OneReceiptInFlight.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class ReadReceiptBackPressureTest {
  static final String MESSAGES_PATH = "/v23.0/" + Webhooks.NUMBER_ONE + "/messages";

  public static class OneReceiptInFlight implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("switchboard.whatsapp.inbound.read-receipts-max-in-flight", "1");
    }
  }

  @Inject MeterRegistry metrics;

  @Test
  void receiptsBeyondTheLimitAreSkippedAndCountedWhileTheGraphApiIsSlow() {
    GraphApiStandIn.resetToDefaults();
    GraphApiStandIn.server()
        .stubFor(
            post(urlEqualTo(MESSAGES_PATH))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.status", equalTo("read")))
                .willReturn(
                    aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"success\":true}")
                        .withFixedDelay(2500)));
    double skippedBefore = skipped();
    double sentBefore = sent();

    for (int i = 0; i < 3; i++) {
      personWrites(Webhooks.newWaId());
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> readReceipts().size() == 1);
    assertEquals(2.0, skipped() - skippedBefore, "two receipts skipped while one was in flight");

    // The slow one answers; the next message's receipt goes out again.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sent() >= sentBefore + 1);
    personWrites(Webhooks.newWaId());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> readReceipts().size() == 2);
    assertEquals(2.0, skipped() - skippedBefore, "nothing more was skipped");
  }

  private double sent() {
    return metrics.counter("whatsapp.read.receipts", "ok", "true").count();
  }

  private double skipped() {
    return metrics.counter("whatsapp.read.receipts", "ok", "skipped").count();
  }

  private static List<LoggedRequest> readReceipts() {
    return GraphApiStandIn.server()
        .findAll(
            postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.status", equalTo("read"))));
  }

  private static void personWrites(String waId) {
    String message =
        "{\"from\":\""
            + waId
            + "\",\"id\":\""
            + Webhooks.newWamid()
            + "\",\"timestamp\":\""
            + System.currentTimeMillis() / 1000
            + "\",\"text\":{\"body\":\"hello\"},\"type\":\"text\"}";
    Webhooks.postSigned(Webhooks.envelope(Webhooks.NUMBER_ONE, waId, message), Webhooks.SECRET_ONE)
        .then()
        .statusCode(200);
  }
}
