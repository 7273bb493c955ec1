package dev.switchboard.safety.messaging;

import dev.switchboard.safety.mapping.TranscriptMapping;
import dev.switchboard.safety.transcript.CompletedTurn;
import dev.switchboard.safety.transcript.TurnPipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code safety.transcripts}. A record that cannot be parsed throws, which nacks it and sends
 * it to {@code safety.transcripts.dlq} with the reason in the {@code dead-letter-reason} header;
 * the partition keeps moving. The offset is committed only after the turn is stored.
 */
@ApplicationScoped
public class TranscriptConsumer {
  public static final String CHANNEL = "transcripts";
  private static final Logger LOG = Logger.getLogger(TranscriptConsumer.class);

  private final TurnPipeline pipeline;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter rejected;

  public TranscriptConsumer(TurnPipeline pipeline, MeterRegistry registry) {
    this.pipeline = pipeline;
    this.stored = registry.counter("safety.transcripts.ingested", "result", "stored");
    this.duplicates = registry.counter("safety.transcripts.ingested", "result", "duplicate");
    this.rejected = registry.counter("safety.transcripts.ingested", "result", "dead_letter");
  }

  @Incoming(CHANNEL)
  @Blocking(ordered = false)
  public void onTranscript(byte[] payload) {
    CompletedTurn turn;
    try {
      turn = TranscriptMapping.parseTurn(payload);
    } catch (RuntimeException e) {
      rejected.increment();
      LOG.warnf("Transcript record sent to the dead-letter topic: %s", e.getMessage());
      throw e;
    }
    if (pipeline.accept(turn)) {
      stored.increment();
    } else {
      duplicates.increment();
      LOG.debugf("Duplicate transcript %s ignored", turn.eventId());
    }
  }
}
