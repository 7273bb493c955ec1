package dev.switchboard.safety.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A review case: one open case per conversation at most. */
@Entity
@Table(name = "review_case")
public class ReviewCaseEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "conversation_id")
  public String conversationId;

  @Column(name = "subject_id")
  public String subjectId;

  public String channel;

  public String queue;

  public String status;

  public String category;

  public int severity;

  @Column(name = "top_score")
  public Float topScore;

  @Column(name = "opened_at")
  public Instant openedAt;

  @Column(name = "trigger_event_id")
  public String triggerEventId;

  @Column(name = "claimed_by")
  public String claimedBy;

  @Column(name = "claim_expires_at")
  public Instant claimExpiresAt;

  @Column(name = "decided_by")
  public String decidedBy;

  @Column(name = "decided_at")
  public Instant decidedAt;

  public String decision;

  @Column(name = "decision_category")
  public String decisionCategory;

  public String notes;

  public String enforcement;

  @Column(name = "auto_action")
  public String autoAction;
}
