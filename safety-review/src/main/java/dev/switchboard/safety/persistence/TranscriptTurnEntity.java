package dev.switchboard.safety.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored turn: redacted display copy, encrypted original, classification scores. */
@Entity
@Table(name = "transcript_turn")
public class TranscriptTurnEntity extends PanacheEntityBase {
  @Id
  @Column(name = "event_id")
  public String eventId;

  @Column(name = "conversation_id")
  public String conversationId;

  @Column(name = "subject_id")
  public String subjectId;

  public String channel;

  @Column(name = "turn_index")
  public int turnIndex;

  @Column(name = "user_text_display")
  public String userTextDisplay;

  @Column(name = "assistant_text_display")
  public String assistantTextDisplay;

  @Column(name = "redaction_count")
  public int redactionCount;

  @Column(name = "original_ciphertext")
  public byte[] originalCiphertext;

  @Column(name = "key_id")
  public String keyId;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "completed_at")
  public Instant completedAt;

  @Column(name = "received_at")
  public Instant receivedAt;

  public boolean interrupted;

  public String model;

  public String language;

  @Column(name = "classified_at")
  public Instant classifiedAt;

  public Boolean flagged;

  @Column(name = "top_category")
  public String topCategory;

  @Column(name = "top_score")
  public Float topScore;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Double> scores;
}
