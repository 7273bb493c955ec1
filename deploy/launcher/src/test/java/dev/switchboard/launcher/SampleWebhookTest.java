package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SampleWebhookTest {
  @Test
  void signatureIsHexHmacSha256OfTheRawBody() {
    // printf '{"a":1}' | openssl dgst -sha256 -hmac 'switchboard-local-app-secret'
    assertEquals(
        "sha256=117a520d1b96995d253e90604b524f07e8775eecfc562f216ff4384700ad8696",
        SampleWebhook.signature(
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "switchboard-local-app-secret"));
  }

  @Test
  void bodyEscapesNonAsciiTheWayMetaSendsIt() throws Exception {
    byte[] body =
        SampleWebhook.textMessage(
            "100000000000001", "15551234567", "wamid.x", "¿Qué tal? 👋", Instant.ofEpochSecond(42));
    String raw = new String(body, StandardCharsets.US_ASCII);
    assertTrue(raw.contains("\\u00BFQu\\u00E9 tal? \\uD83D\\uDC4B"), raw);
    for (byte b : body) {
      assertFalse(b < 0, "every byte is ASCII");
    }
    JsonNode message = new ObjectMapper().readTree(body).at("/entry/0/changes/0/value/messages/0");
    assertEquals("¿Qué tal? 👋", message.at("/text/body").asText());
    assertEquals("42", message.path("timestamp").asText());
    assertEquals("15551234567", message.path("from").asText());
  }
}
