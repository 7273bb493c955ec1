package dev.switchboard.core.conversation;

/** The channel a person reached us through, as the core's own type. */
public enum ChannelKind {
  VOICE,
  WHATSAPP
}
