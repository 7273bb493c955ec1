package dev.switchboard.core.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person we talk to, known by subject id; the number is only stored encrypted. */
@Entity
@Table(name = "person")
public class PersonEntity extends PanacheEntityBase {
  @Id
  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "phone_encrypted")
  public byte[] phoneEncrypted;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "last_seen_at")
  public Instant lastSeenAt;

  @Column(name = "disclosed_at")
  public Instant disclosedAt;

  @Column(name = "context_reset_at")
  public Instant contextResetAt;

  /** When we heard from the person before this event (not stored). */
  @jakarta.persistence.Transient public Instant previousSeenAt;

  /** The last contact before the current one; decides whether the disclosure is due again. */
  public Instant lastSeenAtBefore() {
    return previousSeenAt == null ? lastSeenAt : previousSeenAt;
  }
}
