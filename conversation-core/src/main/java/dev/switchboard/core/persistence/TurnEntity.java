package dev.switchboard.core.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One utterance of a conversation: what the person said or what the assistant answered. */
@Entity
@Table(name = "turn")
public class TurnEntity extends PanacheEntityBase {
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "conversation_id")
  public UUID conversationId;

  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "turn_index")
  public int turnIndex;

  public String role;

  public String text;

  @Column(name = "media_refs")
  public String mediaRefs;

  @Column(name = "event_id")
  public String eventId;

  public String model;

  @Column(name = "input_tokens")
  public Integer inputTokens;

  @Column(name = "output_tokens")
  public Integer outputTokens;

  @Column(name = "latency_ms")
  public Integer latencyMs;

  public boolean interrupted;

  /**
   * The whole reply as generated, kept when the person heard only part of it ({@code text} then
   * holds what they heard); null otherwise.
   */
  @Column(name = "generated_text")
  public String generatedText;

  public String language;

  @Column(name = "created_at")
  public Instant createdAt;
}
