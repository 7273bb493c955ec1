package dev.switchboard.core.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An inbound event whose effects are stored; its presence makes a redelivery a no-op. */
@Entity
@Table(name = "processed_event")
public class ProcessedEventEntity extends PanacheEntityBase {
  @Id
  @Column(name = "event_id")
  public String eventId;

  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "processed_at")
  public Instant processedAt;

  /** True once the broker confirmed every event this one caused. */
  public boolean published;

  /** What the event caused; see {@code ProcessedState.Outcome}. */
  public String outcome;

  /** A fixed reply or an encoded call directive, for republishing. */
  @Column(name = "reply_text")
  public String replyText;

  @Column(name = "conversation_key")
  public String conversationKey;
}
