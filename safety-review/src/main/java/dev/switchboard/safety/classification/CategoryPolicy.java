package dev.switchboard.safety.classification;

import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Turns scores into a verdict with per-category thresholds and severities. Plain Java; the
 * thresholds are looked up through a function so admins can change them at run time.
 */
public final class CategoryPolicy {
  /** Severity of each OpenAI moderation category; severe categories are always 100. */
  private static final Map<String, Integer> SEVERITY =
      Map.ofEntries(
          Map.entry("sexual/minors", 100),
          Map.entry("self-harm/instructions", 85),
          Map.entry("self-harm/intent", 85),
          Map.entry("self-harm", 75),
          Map.entry("hate/threatening", 75),
          Map.entry("harassment/threatening", 70),
          Map.entry("violence/graphic", 65),
          Map.entry("illicit/violent", 70),
          Map.entry("violence", 55),
          Map.entry("hate", 50),
          Map.entry("illicit", 45),
          Map.entry("sexual", 40),
          Map.entry("harassment", 40));

  private static final int DEFAULT_SEVERITY = 30;

  private final ToDoubleFunction<String> thresholdOf;
  private final Set<String> severe;

  public CategoryPolicy(ToDoubleFunction<String> thresholdOf, Set<String> severeCategories) {
    this.thresholdOf = thresholdOf;
    this.severe = Set.copyOf(severeCategories);
  }

  public static int severityOf(String category, Set<String> severe) {
    return severe.contains(category) ? 100 : SEVERITY.getOrDefault(category, DEFAULT_SEVERITY);
  }

  public Verdict judge(Classification classification) {
    String best = null;
    double bestScore = 0;
    int bestSeverity = -1;
    String top = null;
    double topScore = -1;
    for (Map.Entry<String, Double> e : classification.scores().entrySet()) {
      String category = e.getKey();
      double score = e.getValue();
      if (score > topScore) {
        top = category;
        topScore = score;
      }
      if (score >= thresholdOf.applyAsDouble(category)) {
        int severity = severityOf(category, severe);
        if (severity > bestSeverity || (severity == bestSeverity && score > bestScore)) {
          best = category;
          bestScore = score;
          bestSeverity = severity;
        }
      }
    }
    if (best == null) {
      return new Verdict(false, top, Math.max(topScore, 0), 0, false);
    }
    return new Verdict(true, best, bestScore, bestSeverity, severe.contains(best));
  }
}
