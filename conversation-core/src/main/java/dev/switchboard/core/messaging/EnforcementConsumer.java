package dev.switchboard.core.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.core.persistence.ConversationStore;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Applies {@code safety.enforcement}: the latest action per person is stored and checked on the
 * person's next event. Unreadable records go to {@code safety.enforcement.dlq} with the reason.
 */
@ApplicationScoped
public class EnforcementConsumer {
  private static final Logger LOG = Logger.getLogger(EnforcementConsumer.class);

  private final ConversationStore store;

  public EnforcementConsumer(ConversationStore store) {
    this.store = store;
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
    store.applyEnforcement(
        action.getSubjectId(),
        kind,
        action.hasBlockedUntil() ? toInstant(action.getBlockedUntil()) : null,
        action.hasDecidedAt() ? toInstant(action.getDecidedAt()) : Instant.now(),
        action.getEventId());
    LOG.infof("Enforcement %s applied to subject %s", kind, action.getSubjectId());
  }

  private static Instant toInstant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }
}
