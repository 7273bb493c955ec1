package dev.switchboard.modeladapter.chat;

import java.util.List;
import java.util.stream.Collectors;

/** One message of a conversation, made of text and image parts. */
public record ChatMessage(Role role, List<Part> parts) {

  public ChatMessage {
    parts = List.copyOf(parts);
  }

  /** Who wrote a message. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT
  }

  /** A piece of message content. */
  public sealed interface Part {
    /** Plain text. */
    record Text(String text) implements Part {}

    /**
     * An image, either inline bytes or a URL the provider can fetch.
     *
     * @param data image bytes; empty when {@code url} is used
     * @param mimeType e.g. image/jpeg
     * @param url a fetchable URL; empty when {@code data} is used
     */
    record Image(byte[] data, String mimeType, String url) implements Part {}
  }

  /** All text parts joined by newlines; images are ignored. */
  public String text() {
    return parts.stream()
        .filter(Part.Text.class::isInstance)
        .map(part -> ((Part.Text) part).text())
        .collect(Collectors.joining("\n"));
  }
}
