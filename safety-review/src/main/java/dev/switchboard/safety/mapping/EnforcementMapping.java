package dev.switchboard.safety.mapping;

import com.google.protobuf.Timestamp;
import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.safety.cases.Enforcement;
import java.time.Instant;

/** Domain enforcement to the {@code safety.enforcement} payload. */
public final class EnforcementMapping {
  private EnforcementMapping() {}

  public static EnforcementAction toEvent(Enforcement e) {
    EnforcementAction.Builder b =
        EnforcementAction.newBuilder()
            .setEventId(e.eventId())
            .setSubjectId(e.subjectId())
            .setAction(action(e))
            .setCaseId(Long.toString(e.caseId()))
            .setDecidedAt(ts(e.decidedAt()));
    if (e.category() != null) {
      b.setCategory(e.category());
    }
    if (e.blockedUntil() != null) {
      b.setBlockedUntil(ts(e.blockedUntil()));
    }
    return b.build();
  }

  private static EnforcementAction.Action action(Enforcement e) {
    return switch (e.choice()) {
      case WARN -> EnforcementAction.Action.ACTION_WARN;
      case BLOCK_24H, BLOCK_7D, BLOCK_30D, BLOCK_PERMANENT -> EnforcementAction.Action.ACTION_BLOCK;
      case UNBLOCK -> EnforcementAction.Action.ACTION_UNBLOCK;
      case NONE -> throw new IllegalArgumentException("Nothing to publish for NONE");
    };
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
