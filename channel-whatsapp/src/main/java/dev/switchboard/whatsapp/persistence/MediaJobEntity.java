package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A voice note or photo waiting to be downloaded, understood and published. */
@Entity
@Table(name = "media_job")
public class MediaJobEntity extends PanacheEntityBase {
  @Id
  @Column(name = "event_id")
  public String eventId;

  @Column(name = "phone_number_id")
  public String phoneNumberId;

  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "media_id")
  public String mediaId;

  @Column(name = "media_kind")
  public String mediaKind;

  @Column(name = "mime_type")
  public String mimeType;

  public byte[] event;

  public String state;

  public int attempts;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
