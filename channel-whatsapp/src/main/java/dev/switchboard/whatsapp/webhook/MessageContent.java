package dev.switchboard.whatsapp.webhook;

import java.util.List;

/** What a person sent, by Cloud API message type. */
public sealed interface MessageContent {

  /** A text message. */
  record Text(String body) implements MessageContent {}

  /** Image, audio, voice note, video, document or sticker; the bytes stay at Meta until needed. */
  record Media(MediaKind kind, String mediaId, String mimeType, String caption, String fileName)
      implements MessageContent {}

  /** A shared location pin. */
  record SharedLocation(double latitude, double longitude, String name, String address)
      implements MessageContent {}

  /** Shared contact cards, reduced to one readable line each. */
  record SharedContacts(List<String> cards) implements MessageContent {}

  /** A tap on a reply button, list row or template quick-reply button. */
  record Choice(ChoiceKind kind, String id, String title) implements MessageContent {}

  /** An emoji reaction to an earlier message; recorded, never answered. */
  record Reaction(String reactedMessageId, String emoji) implements MessageContent {}

  /** A type we cannot open (yet); the person gets a polite reply. */
  record Unsupported(String type) implements MessageContent {}

  /** Media kinds. */
  enum MediaKind {
    IMAGE,
    AUDIO,
    VOICE_NOTE,
    VIDEO,
    DOCUMENT,
    STICKER
  }

  /** Which kind of tap. */
  enum ChoiceKind {
    BUTTON_REPLY,
    LIST_REPLY,
    TEMPLATE_BUTTON
  }
}
