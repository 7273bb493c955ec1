package dev.switchboard.launcher;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds and sends a WhatsApp Cloud API text-message webhook exactly as Meta does: the documented
 * envelope, non-ASCII escaped as {@code \\uXXXX}, signed with {@code X-Hub-Signature-256}.
 */
public final class SampleWebhook {
  private static final ObjectMapper META_JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SampleWebhook() {}

  /** The raw body of a webhook carrying one text message from {@code fromWaId}. */
  public static byte[] textMessage(
      String phoneNumberId, String fromWaId, String wamid, String text, Instant sentAt) {
    ObjectNode root = META_JSON.createObjectNode().put("object", "whatsapp_business_account");
    ObjectNode change =
        root.putArray("entry").addObject().put("id", "0").putArray("changes").addObject();
    change.put("field", "messages");
    ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
    value
        .putObject("metadata")
        .put("display_phone_number", "15550000000")
        .put("phone_number_id", phoneNumberId);
    ObjectNode contact = value.putArray("contacts").addObject();
    contact.putObject("profile").put("name", "Sample User");
    contact.put("wa_id", fromWaId);
    ObjectNode message = value.putArray("messages").addObject();
    message
        .put("from", fromWaId)
        .put("id", wamid)
        .put("timestamp", String.valueOf(sentAt.getEpochSecond()))
        .put("type", "text")
        .putObject("text")
        .put("body", text);
    try {
      return META_JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The raw body of a webhook telling that an outbound message reached a new status. */
  public static byte[] statusUpdate(
      String phoneNumberId, String wamid, String status, String recipientWaId, Instant at) {
    ObjectNode root = META_JSON.createObjectNode().put("object", "whatsapp_business_account");
    ObjectNode change =
        root.putArray("entry").addObject().put("id", "0").putArray("changes").addObject();
    change.put("field", "messages");
    ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
    value
        .putObject("metadata")
        .put("display_phone_number", "15550000000")
        .put("phone_number_id", phoneNumberId);
    value
        .putArray("statuses")
        .addObject()
        .put("id", wamid)
        .put("status", status)
        .put("timestamp", String.valueOf(at.getEpochSecond()))
        .put("recipient_id", recipientWaId);
    try {
      return META_JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sha256=<hex HMAC-SHA256 of the raw body>}, the value of X-Hub-Signature-256. */
  public static String signature(byte[] body, String appSecret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** POSTs a signed body to the webhook and returns the HTTP status. */
  public static int post(String webhookUrl, byte[] body, String appSecret)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(webhookUrl))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("X-Hub-Signature-256", signature(body, appSecret))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
