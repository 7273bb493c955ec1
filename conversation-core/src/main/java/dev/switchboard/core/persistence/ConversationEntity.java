package dev.switchboard.core.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One conversation: a WhatsApp thread until it lapses, or one phone call. */
@Entity
@Table(name = "conversation")
public class ConversationEntity extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "subject_id")
  public String subjectId;

  public String channel;

  @Column(name = "channel_key")
  public String channelKey;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "last_activity_at")
  public Instant lastActivityAt;

  @Column(name = "ended_at")
  public Instant endedAt;

  @Column(name = "end_reason")
  public String endReason;
}
