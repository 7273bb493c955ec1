package dev.switchboard.safety.transcript;

import dev.switchboard.safety.crypto.OriginalText;
import dev.switchboard.safety.crypto.TranscriptCipher;
import dev.switchboard.safety.persistence.TranscriptRepository;
import dev.switchboard.safety.persistence.TranscriptTurnEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** Classifies turns that were stored while the model gateway was unavailable. */
@ApplicationScoped
public class ClassificationRetryJob {
  private static final Logger LOG = Logger.getLogger(ClassificationRetryJob.class);
  private static final int BATCH = 200;

  /** Leave turns alone while their first classification may still be in flight. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final TranscriptRepository repository;
  private final TranscriptCipher cipher;
  private final TurnPipeline pipeline;
  private final Clock clock;

  public ClassificationRetryJob(
      TranscriptRepository repository,
      TranscriptCipher cipher,
      TurnPipeline pipeline,
      Clock clock) {
    this.repository = repository;
    this.cipher = cipher;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  @Scheduled(
      every = "${switchboard.classification.retry-every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void retryUnclassified() {
    retryOlderThan(Instant.now(clock).minus(GRACE));
  }

  /** Retries unclassified turns received before {@code cutoff}; returns how many succeeded. */
  public int retryOlderThan(Instant cutoff) {
    List<TranscriptTurnEntity> pending =
        QuarkusTransaction.requiringNew().call(() -> repository.unclassified(BATCH));
    int done = 0;
    for (TranscriptTurnEntity t : pending) {
      if (t.receivedAt.isAfter(cutoff)) {
        continue;
      }
      OriginalText original;
      try {
        original = OriginalText.fromBytes(cipher.decrypt(t.originalCiphertext, t.eventId));
      } catch (GeneralSecurityException e) {
        LOG.errorf("Turn %s cannot be decrypted for classification (key %s)", t.eventId, t.keyId);
        continue;
      }
      CompletedTurn turn =
          new CompletedTurn(
              t.eventId,
              t.conversationId,
              t.subjectId,
              t.channel,
              t.turnIndex,
              original.userText(),
              original.assistantText(),
              t.startedAt,
              t.completedAt,
              t.interrupted,
              t.model,
              t.language);
      if (!pipeline.classify(turn)) {
        break; // still down; try again next run
      }
      done++;
    }
    return done;
  }
}
