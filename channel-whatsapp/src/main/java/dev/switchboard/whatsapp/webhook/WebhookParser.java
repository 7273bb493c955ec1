package dev.switchboard.whatsapp.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.whatsapp.webhook.MessageContent.Choice;
import dev.switchboard.whatsapp.webhook.MessageContent.ChoiceKind;
import dev.switchboard.whatsapp.webhook.MessageContent.Media;
import dev.switchboard.whatsapp.webhook.MessageContent.MediaKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Cloud API webhook body ({@code object=whatsapp_business_account}, {@code
 * entry[].changes[].value}) into domain records. A body without that envelope is rejected as a
 * whole; a single message without an id is skipped and counted, so one odd message never blocks the
 * rest of the payload. Changes of other fields (account updates, templates) are ignored.
 */
public final class WebhookParser {
  private static final java.util.regex.Pattern WA_ID =
      java.util.regex.Pattern.compile("[1-9][0-9]{1,14}");

  private final ObjectMapper json;

  public WebhookParser(ObjectMapper json) {
    this.json = json;
  }

  public ParseResult parse(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      return new ParseResult.Rejected("body is not JSON");
    } catch (IOException e) {
      return new ParseResult.Rejected("body could not be read");
    }
    if (root == null || !root.isObject()) {
      return new ParseResult.Rejected("body is not a JSON object");
    }
    if (!"whatsapp_business_account".equals(root.path("object").asText(null))) {
      return new ParseResult.Rejected("object is not whatsapp_business_account");
    }
    JsonNode entries = root.get("entry");
    if (entries == null || !entries.isArray()) {
      return new ParseResult.Rejected("entry is not an array");
    }
    List<MessagesChange> changes = new ArrayList<>();
    for (JsonNode entry : entries) {
      JsonNode entryChanges = entry.get("changes");
      if (!entry.isObject() || entryChanges == null || !entryChanges.isArray()) {
        return new ParseResult.Rejected("entry without a changes array");
      }
      for (JsonNode change : entryChanges) {
        JsonNode value = change.get("value");
        if (!change.isObject() || value == null || !value.isObject()) {
          return new ParseResult.Rejected("change without a value object");
        }
        if (!"messages".equals(change.path("field").asText(null))) {
          continue;
        }
        String phoneNumberId = text(value.path("metadata"), "phone_number_id");
        if (phoneNumberId == null) {
          return new ParseResult.Rejected("messages change without metadata.phone_number_id");
        }
        changes.add(readMessagesChange(phoneNumberId, value));
      }
    }
    return new ParseResult.Parsed(new WebhookPayload(List.copyOf(changes)));
  }

  private MessagesChange readMessagesChange(String phoneNumberId, JsonNode value) {
    Map<String, String> waIdByUserId = new HashMap<>();
    String onlyContactWaId = null;
    String onlyContactUserId = null;
    JsonNode contacts = value.path("contacts");
    for (JsonNode contact : contacts) {
      String waId = text(contact, "wa_id");
      String userId = text(contact, "user_id");
      if (userId != null && waId != null) {
        waIdByUserId.put(userId, waId);
      }
      if (contacts.size() == 1) {
        onlyContactWaId = waId;
        onlyContactUserId = userId;
      }
    }
    List<IncomingMessage> messages = new ArrayList<>();
    int skipped = 0;
    for (JsonNode message : value.path("messages")) {
      String wamid = text(message, "id");
      String type = text(message, "type");
      if (wamid == null || type == null) {
        skipped++;
        continue;
      }
      String waId = digitsOrNull(text(message, "from"));
      String userId = text(message, "from_user_id");
      if (userId == null) {
        userId = onlyContactUserId;
      }
      if (waId == null && userId != null) {
        waId = digitsOrNull(waIdByUserId.get(userId));
      }
      if (waId == null && userId == null) {
        waId = digitsOrNull(onlyContactWaId);
      }
      if (waId == null && userId == null) {
        skipped++;
        continue;
      }
      messages.add(
          new IncomingMessage(
              wamid,
              waId,
              userId,
              epochSeconds(text(message, "timestamp")),
              text(message.path("context"), "id"),
              readContent(type, message)));
    }
    List<StatusUpdate> statuses = new ArrayList<>();
    for (JsonNode status : value.path("statuses")) {
      String wamid = text(status, "id");
      String state = text(status, "status");
      if (wamid != null && state != null) {
        statuses.add(
            new StatusUpdate(
                wamid,
                state,
                epochSeconds(text(status, "timestamp")),
                readErrors(status.path("errors"))));
      }
    }
    return new MessagesChange(
        phoneNumberId,
        List.copyOf(messages),
        List.copyOf(statuses),
        readErrors(value.path("errors")),
        skipped);
  }

  private static MessageContent readContent(String type, JsonNode message) {
    JsonNode body = message.path(type);
    return switch (type) {
      case "text" -> new MessageContent.Text(orEmpty(text(body, "body")));
      case "image" -> media(MediaKind.IMAGE, body);
      case "audio" ->
          media(body.path("voice").asBoolean(false) ? MediaKind.VOICE_NOTE : MediaKind.AUDIO, body);
      case "video" -> media(MediaKind.VIDEO, body);
      case "document" -> media(MediaKind.DOCUMENT, body);
      case "sticker" -> media(MediaKind.STICKER, body);
      case "location" ->
          new MessageContent.SharedLocation(
              body.path("latitude").asDouble(),
              body.path("longitude").asDouble(),
              orEmpty(text(body, "name")),
              orEmpty(text(body, "address")));
      case "contacts" -> new MessageContent.SharedContacts(contactCards(message.path("contacts")));
      case "interactive" -> interactive(body);
      case "button" ->
          new Choice(
              ChoiceKind.TEMPLATE_BUTTON,
              orEmpty(text(body, "payload")),
              orEmpty(text(body, "text")));
      case "reaction" ->
          new MessageContent.Reaction(
              orEmpty(text(body, "message_id")), orEmpty(text(body, "emoji")));
      default -> new MessageContent.Unsupported(type);
    };
  }

  private static MessageContent interactive(JsonNode interactive) {
    String kind = orEmpty(text(interactive, "type"));
    return switch (kind) {
      case "button_reply" -> choice(ChoiceKind.BUTTON_REPLY, interactive.path("button_reply"));
      case "list_reply" -> choice(ChoiceKind.LIST_REPLY, interactive.path("list_reply"));
      default -> new MessageContent.Unsupported("interactive." + kind);
    };
  }

  private static Choice choice(ChoiceKind kind, JsonNode reply) {
    String title = orEmpty(text(reply, "title"));
    String description = text(reply, "description");
    if (description != null && !description.isEmpty()) {
      title = title + " — " + description;
    }
    return new Choice(kind, orEmpty(text(reply, "id")), title);
  }

  private static Media media(MediaKind kind, JsonNode body) {
    return new Media(
        kind,
        orEmpty(text(body, "id")),
        orEmpty(text(body, "mime_type")),
        orEmpty(text(body, "caption")),
        orEmpty(text(body, "filename")));
  }

  private static List<String> contactCards(JsonNode contacts) {
    List<String> cards = new ArrayList<>();
    for (JsonNode contact : contacts) {
      StringBuilder card = new StringBuilder();
      String name = text(contact.path("name"), "formatted_name");
      card.append(name == null ? "(no name)" : name);
      for (JsonNode phone : contact.path("phones")) {
        String number = text(phone, "phone");
        if (number != null) {
          card.append(", ").append(number);
        }
      }
      for (JsonNode email : contact.path("emails")) {
        String address = text(email, "email");
        if (address != null) {
          card.append(", ").append(address);
        }
      }
      cards.add(card.toString());
    }
    return List.copyOf(cards);
  }

  private static List<GraphError> readErrors(JsonNode errors) {
    List<GraphError> result = new ArrayList<>();
    for (JsonNode error : errors) {
      result.add(new GraphError(error.path("code").asInt(0), orEmpty(text(error, "title"))));
    }
    return List.copyOf(result);
  }

  private static Instant epochSeconds(String value) {
    if (value != null) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(value));
      } catch (NumberFormatException e) {
        // Fall through: a missing or odd timestamp means "now".
      }
    }
    return Instant.now();
  }

  private static String digitsOrNull(String value) {
    if (value == null) {
      return null;
    }
    String digits = value.startsWith("+") ? value.substring(1) : value;
    return WA_ID.matcher(digits).matches() ? digits : null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
