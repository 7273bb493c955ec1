package dev.switchboard.contracts;

/** Kafka topic names shared by every service (ARCHITECTURE.md section 2). */
public final class Topics {
  public static final String INBOUND = "conversation.inbound";
  public static final String OUTBOUND_WHATSAPP = "conversation.outbound.whatsapp";
  public static final String OUTBOUND_VOICE = "conversation.outbound.voice";
  public static final String SAFETY_TRANSCRIPTS = "safety.transcripts";
  public static final String SAFETY_ENFORCEMENT = "safety.enforcement";
  public static final String PRIVACY_ERASURE = "privacy.erasure";

  /** Suffix of the dead-letter topic that belongs to each topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private Topics() {}

  public static String deadLetterOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }
}
