package dev.switchboard.whatsapp.webhook;

/** What the channel says by itself, without the assistant. */
public final class ChannelTexts {
  /** For message types we cannot open (polls, orders, ephemeral media, new types). */
  public static final String UNSUPPORTED =
      "Sorry, I can't open that kind of message yet. Could you send it as text, a photo or a"
          + " voice note?";

  /** When a voice note or photo could not be downloaded or understood. */
  public static final String MEDIA_FAILED =
      "Sorry, I couldn't open your attachment. Could you try again, or type your message?";

  private ChannelTexts() {}
}
