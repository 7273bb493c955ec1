package dev.switchboard.whatsapp.support;

import static io.restassured.RestAssured.given;

import dev.switchboard.whatsapp.webhook.SignatureVerifier;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds Cloud API webhook bodies the way Meta sends them, and posts them signed. */
public final class Webhooks {
  /** Configured in the test profile. */
  public static final String NUMBER_ONE = "106540352242922";

  public static final String SECRET_ONE = "test-secret-one";
  public static final String NUMBER_TWO = "106540352242923";
  public static final String SECRET_TWO = "test-secret-two";

  private Webhooks() {}

  public static String newWamid() {
    return "wamid.TEST-" + UUID.randomUUID();
  }

  /** A random 12-digit WhatsApp number, so tests never share a person. */
  public static String newWaId() {
    long n = 100_000_000_000L + (long) (Math.random() * 800_000_000_000L);
    return Long.toString(n);
  }

  /** One messages change with one message; {@code messageJson} is the inner message object. */
  public static String envelope(String phoneNumberId, String waId, String messageJson) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA-1\",\"changes\":[{"
        + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
        + "\"15550001111\",\"phone_number_id\":\""
        + phoneNumberId
        + "\"},\"contacts\":[{\"profile\":{\"name\":\"Test Person\"},\"wa_id\":\""
        + waId
        + "\"}],\"messages\":["
        + messageJson
        + "]},\"field\":\"messages\"}]}]}";
  }

  public static String textMessage(String waId, String wamid, String body) {
    return "{\"from\":\""
        + waId
        + "\",\"id\":\""
        + wamid
        + "\",\"timestamp\":\""
        + (System.currentTimeMillis() / 1000)
        + "\",\"text\":{\"body\":\""
        + body
        + "\"},\"type\":\"text\"}";
  }

  public static String textWebhook(String waId, String wamid, String body) {
    return envelope(NUMBER_ONE, waId, textMessage(waId, wamid, body));
  }

  public static Response postSigned(String body, String secret) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return postRaw(bytes, SignatureVerifier.sign(secret, bytes));
  }

  public static Response postRaw(byte[] body, String signatureHeader) {
    var request = given().contentType("application/json").body(body);
    if (signatureHeader != null) {
      request = request.header("X-Hub-Signature-256", signatureHeader);
    }
    return request.when().post("/webhooks/whatsapp");
  }
}
