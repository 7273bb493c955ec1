package dev.switchboard.core.conversation;

import java.util.Optional;

/**
 * An inbound event already processed: whether what it caused was confirmed published, what kind of
 * output it caused ({@link Outcome}), a fixed reply text if any, and the stored turn when it
 * produced a model answer.
 */
public record ProcessedState(
    boolean published, Outcome outcome, String replyText, Optional<StoredTurn> turn) {

  /** What an inbound event caused, stored so a redelivery can publish it again. */
  public enum Outcome {
    NONE("none"),
    TURN("turn"),
    FIXED_REPLY("fixed-reply"),
    DIRECTIVE("directive"),
    ERASURE("erasure"),
    /**
     * An interruption of a completed reply: the corrected transcript (reply_text = answered id).
     */
    CORRECTED_TRANSCRIPT("corrected-transcript");

    private final String column;

    Outcome(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    public static Outcome of(String column) {
      for (Outcome o : values()) {
        if (o.column.equals(column)) {
          return o;
        }
      }
      return NONE;
    }
  }
}
