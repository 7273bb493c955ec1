package dev.switchboard.safety.transcript;

import dev.switchboard.safety.cases.CaseService;
import dev.switchboard.safety.classification.CategoryPolicy;
import dev.switchboard.safety.classification.Classification;
import dev.switchboard.safety.classification.ClassificationUnavailableException;
import dev.switchboard.safety.classification.Thresholds;
import dev.switchboard.safety.classification.Verdict;
import dev.switchboard.safety.client.ModerationClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What happens to a turn after it arrives: store once (redacted + encrypted), classify the person's
 * words through the model gateway, then open or raise a case. When the gateway is down the turn
 * stays stored and unclassified, and {@link ClassificationRetryJob} picks it up later: nothing is
 * lost and the partition keeps moving.
 */
@ApplicationScoped
public class TurnPipeline {
  private static final Logger LOG = Logger.getLogger(TurnPipeline.class);

  private final TranscriptIngestor ingestor;
  private final ModerationClient moderation;
  private final Thresholds thresholds;
  private final CaseService cases;
  private final Counter classificationFailures;

  public TurnPipeline(
      TranscriptIngestor ingestor,
      ModerationClient moderation,
      Thresholds thresholds,
      CaseService cases,
      MeterRegistry registry) {
    this.ingestor = ingestor;
    this.moderation = moderation;
    this.thresholds = thresholds;
    this.cases = cases;
    this.classificationFailures = registry.counter("safety.classification.failures");
  }

  /** Returns true when the turn was new. Redelivered turns change nothing. */
  public boolean accept(CompletedTurn turn) {
    if (!ingestor.store(turn)) {
      return false;
    }
    classify(turn);
    return true;
  }

  /** What a batch did: turns new (and classified), and stored turns corrected. */
  public record Accepted(int fresh, int corrected) {}

  /**
   * Stores a batch of turns in one transaction, classifies the new ones concurrently and records
   * scores and cases in a second transaction. Corrections of stored turns are not classified again
   * (the person's words did not change).
   */
  public Accepted acceptAll(List<CompletedTurn> turns) {
    if (turns.isEmpty()) {
      return new Accepted(0, 0);
    }
    TranscriptIngestor.Stored stored = ingestor.storeAll(turns);
    List<CompletedTurn> fresh = stored.fresh();
    if (fresh.isEmpty()) {
      return new Accepted(0, stored.corrected());
    }
    List<Classification> results =
        moderation.classifyAll(
            fresh.stream().map(CompletedTurn::userText).toList(),
            fresh.stream().map(CompletedTurn::language).toList());
    CategoryPolicy policy = thresholds.policy();
    List<CaseService.ClassifiedTurn> classified = new ArrayList<>(fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      Classification c = results.get(i);
      if (c == null) {
        classificationFailures.increment();
        continue; // stays unclassified; ClassificationRetryJob picks it up
      }
      classified.add(new CaseService.ClassifiedTurn(fresh.get(i), c.scores(), policy.judge(c)));
    }
    if (!classified.isEmpty()) {
      cases.onClassified(classified);
    }
    if (classified.size() < fresh.size()) {
      LOG.warnf(
          "%d of %d turns left for classification retry (model gateway unavailable)",
          fresh.size() - classified.size(), fresh.size());
    }
    return new Accepted(fresh.size(), stored.corrected());
  }

  /** Classifies a stored turn; returns false when the gateway could not answer. */
  public boolean classify(CompletedTurn turn) {
    Classification classification;
    try {
      classification = moderation.classify(turn.userText(), turn.language());
    } catch (ClassificationUnavailableException e) {
      classificationFailures.increment();
      LOG.warnf("Turn %s left for retry: %s", turn.eventId(), e.getMessage());
      return false;
    }
    Verdict verdict = thresholds.policy().judge(classification);
    cases.onClassified(turn, classification.scores(), verdict);
    return true;
  }
}
