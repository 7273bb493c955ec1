package dev.switchboard.safety.cases;

import java.util.List;

/**
 * Everything the case page shows. Texts are the redacted display copies unless {@code revealed}.
 */
public record CaseView(
    long id,
    String queue,
    String status,
    String category,
    int severity,
    String topScore,
    String openedAt,
    String channel,
    String subjectId,
    String conversationId,
    String claimedBy,
    String claimExpiresAt,
    String autoAction,
    String decision,
    String notes,
    List<TurnView> turns,
    List<EarlierCase> earlierCases,
    boolean revealed) {

  /** One turn as two chat bubbles. */
  public record TurnView(
      int index,
      String userText,
      String assistantText,
      String completedAt,
      boolean flagged,
      String scores,
      boolean interrupted) {}

  /** Another case of the same person. */
  public record EarlierCase(
      long id, String openedAt, String queue, String status, String decision, String category) {}
}
