package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One reply we sent or tried to send, keyed by the outbound event id that asked for it. */
@Entity
@Table(name = "outbound_message")
public class OutboundMessageEntity extends PanacheEntityBase {
  @Id
  @Column(name = "event_id")
  public String eventId;

  @Column(name = "conversation_id")
  public String conversationId;

  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "phone_number_id")
  public String phoneNumberId;

  @Column(name = "part_index")
  public int partIndex;

  /** SENDING, SENT, DELIVERED, READ or FAILED. */
  public String state;

  /** TEXT or TEMPLATE. */
  public String kind;

  public String wamid;

  public int attempts;

  @Column(name = "error_code")
  public Integer errorCode;

  @Column(name = "error_title")
  public String errorTitle;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
