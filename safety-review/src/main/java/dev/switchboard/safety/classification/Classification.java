package dev.switchboard.safety.classification;

import java.util.Map;

/** Moderation scores per category (OpenAI moderation names) for one text. */
public record Classification(Map<String, Double> scores, String backend) {
  public Classification {
    scores = Map.copyOf(scores);
  }
}
