package dev.switchboard.whatsapp.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies of the messages endpoint, in the documented Cloud API shapes. */
public final class GraphMessages {
  private final ObjectMapper json;

  public GraphMessages(ObjectMapper json) {
    this.json = json;
  }

  /**
   * A text message. {@code recipient} is a wa_id (sent as {@code to}) or, when Meta withheld the
   * number, a business-scoped user id (sent as {@code recipient}).
   */
  public ObjectNode text(Recipient recipient, String body, String contextMessageId) {
    ObjectNode message = envelope(recipient);
    if (contextMessageId != null && !contextMessageId.isEmpty()) {
      message.putObject("context").put("message_id", contextMessageId);
    }
    message.put("type", "text");
    message.putObject("text").put("body", body);
    return message;
  }

  /** An approved template without parameters, for use outside the 24-hour window. */
  public ObjectNode template(Recipient recipient, String name, String languageCode) {
    ObjectNode message = envelope(recipient);
    message.put("type", "template");
    ObjectNode template = message.putObject("template");
    template.put("name", name);
    template.putObject("language").put("code", languageCode);
    return message;
  }

  private ObjectNode envelope(Recipient recipient) {
    ObjectNode message = json.createObjectNode();
    message.put("messaging_product", "whatsapp");
    message.put("recipient_type", "individual");
    if (recipient.waId() != null) {
      message.put("to", recipient.waId());
    } else {
      message.put("recipient", recipient.userId());
    }
    return message;
  }

  /** Who a message goes to: a wa_id, else a business-scoped user id. */
  public record Recipient(String waId, String userId) {
    @Override
    public String toString() {
      return "Recipient[redacted]";
    }
  }
}
