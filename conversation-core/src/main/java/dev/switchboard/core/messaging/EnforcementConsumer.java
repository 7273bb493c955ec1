package dev.switchboard.core.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.core.persistence.ConversationStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies {@code safety.enforcement}: the latest action per person is stored and checked on the
 * person's next event. Unreadable records go to {@code safety.enforcement.dlq} with the reason.
 * {@code switchboard.core.enforcement.applied} counts the actions that took effect, so operators
 * (and the cross-service tests) can see a reviewer's decision arrive.
 */
@ApplicationScoped
public class EnforcementConsumer {
  private static final Logger LOG = Logger.getLogger(EnforcementConsumer.class);

  private final ConversationStore store;
  private final MeterRegistry metrics;

  public EnforcementConsumer(ConversationStore store, MeterRegistry metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Incoming(Channels.ENFORCEMENT)
  @Blocking
  public void apply(byte[] payload) {
    EnforcementAction action;
    try {
      action = EnforcementAction.parseFrom(payload == null ? new byte[0] : payload);
    } catch (InvalidProtocolBufferException e) {
      throw new UnprocessableEventException("not an EnforcementAction protobuf: " + e.getMessage());
    }
    if (action.getSubjectId().isBlank()
        || action.getAction() == EnforcementAction.Action.ACTION_UNSPECIFIED) {
      throw new UnprocessableEventException("subject_id or action is missing");
    }
    String kind =
        switch (action.getAction()) {
          case ACTION_BLOCK -> "BLOCK";
          case ACTION_UNBLOCK -> "UNBLOCK";
          default -> "WARN";
        };
    boolean applied =
        store.applyEnforcement(
            action.getSubjectId(),
            kind,
            action.hasBlockedUntil() ? toInstant(action.getBlockedUntil()) : null,
            action.hasDecidedAt() ? toInstant(action.getDecidedAt()) : Instant.now(),
            action.getEventId());
    if (!applied) {
      LOG.infof(
          "Enforcement %s for subject %s ignored: a later action or a block is in force",
          kind, action.getSubjectId());
      return;
    }
    metrics
        .counter("switchboard.core.enforcement.applied", "action", kind.toLowerCase(Locale.ROOT))
        .increment();
    LOG.infof("Enforcement %s applied to subject %s", kind, action.getSubjectId());
  }

  private static Instant toInstant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }
}
