package dev.switchboard.safety.messaging;

import dev.switchboard.safety.mapping.TranscriptMapping;
import dev.switchboard.safety.retention.RetentionService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code privacy.erasure}: deletes the person's transcripts (except under legal hold).
 * Unparseable requests go to {@code privacy.erasure.dlq} with the reason.
 */
@ApplicationScoped
public class ErasureConsumer {
  private static final Logger LOG = Logger.getLogger(ErasureConsumer.class);

  private final RetentionService retention;

  public ErasureConsumer(RetentionService retention) {
    this.retention = retention;
  }

  @Incoming("erasure")
  @Blocking
  public void onErasure(byte[] payload) {
    String subject = TranscriptMapping.parseErasureSubject(payload);
    String eventId = TranscriptMapping.parseErasureEventId(payload);
    int deleted = retention.erase(subject, eventId);
    LOG.infof("Erasure for subject %s: %d transcript turns deleted", subject, deleted);
  }
}
