package dev.switchboard.safety.messaging;

import dev.switchboard.safety.mapping.InvalidEventException;
import dev.switchboard.safety.mapping.TranscriptMapping;
import dev.switchboard.safety.transcript.CompletedTurn;
import dev.switchboard.safety.transcript.TurnPipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code safety.transcripts} in batches (one poll at a time). A record that cannot be parsed
 * is published to {@code safety.transcripts.dlq} with the reason in the {@code dead-letter-reason}
 * header before the batch is acknowledged; the partition keeps moving. Offsets are committed only
 * after the batch is stored. If storing fails (database down) the batch is nacked and the channel's
 * dead-letter strategy keeps every record.
 */
@ApplicationScoped
public class TranscriptConsumer {
  public static final String CHANNEL = "transcripts";
  private static final Logger LOG = Logger.getLogger(TranscriptConsumer.class);
  private static final int MAX_ATTEMPTS = 7;

  private final TurnPipeline pipeline;
  private final DeadLetterPublisher deadLetters;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter corrected;
  private final Counter rejected;

  public TranscriptConsumer(
      TurnPipeline pipeline, DeadLetterPublisher deadLetters, MeterRegistry registry) {
    this.pipeline = pipeline;
    this.deadLetters = deadLetters;
    this.stored = registry.counter("safety.transcripts.ingested", "result", "stored");
    this.duplicates = registry.counter("safety.transcripts.ingested", "result", "duplicate");
    this.corrected = registry.counter("safety.transcripts.ingested", "result", "corrected");
    this.rejected = registry.counter("safety.transcripts.ingested", "result", "dead_letter");
  }

  @Incoming(CHANNEL)
  @Blocking
  public void onTranscripts(ConsumerRecords<String, byte[]> records) {
    List<CompletedTurn> turns = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        turns.add(TranscriptMapping.parseTurn(record.value()));
      } catch (InvalidEventException e) {
        deadLetters.send(record, e.getMessage());
        rejected.increment();
        LOG.warnf(
            "Transcript record %s-%d@%d sent to the dead-letter topic: %s",
            record.topic(), record.partition(), record.offset(), e.getMessage());
      }
    }
    TurnPipeline.Accepted accepted = acceptWithRetry(turns);
    stored.increment(accepted.fresh());
    corrected.increment(accepted.corrected());
    duplicates.increment(turns.size() - accepted.fresh() - accepted.corrected());
  }

  /**
   * A database blip should not send good records to the dead-letter topic: retry the batch (it is
   * idempotent) with backoff for about a minute before giving up and letting the channel's
   * dead-letter strategy keep the records.
   */
  private TurnPipeline.Accepted acceptWithRetry(List<CompletedTurn> turns) {
    long backoffMillis = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        return pipeline.acceptAll(turns);
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        LOG.warnf(
            "Storing %d transcript turns failed (attempt %d of %d), retrying: %s",
            turns.size(), attempt, MAX_ATTEMPTS, e.getMessage());
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMillis = Math.min(backoffMillis * 2, 16_000);
      }
    }
  }
}
