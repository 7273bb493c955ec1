package dev.switchboard.modeladapter.moderation;

import java.util.List;

/**
 * Scores for every moderation category, in {@link ModerationCategory} order.
 *
 * @param scores one per category
 * @param flagged true when any category is flagged
 * @param backend the backend that classified
 */
public record ModerationResult(List<CategoryScore> scores, boolean flagged, String backend) {

  public ModerationResult {
    scores = List.copyOf(scores);
  }

  /** One category's verdict; {@code score} is a probability-like value in [0, 1]. */
  public record CategoryScore(String category, double score, boolean flagged) {}

  /** The score of one category, 0 when absent. */
  public double score(String category) {
    return scores.stream()
        .filter(score -> score.category().equals(category))
        .mapToDouble(CategoryScore::score)
        .findFirst()
        .orElse(0);
  }
}
