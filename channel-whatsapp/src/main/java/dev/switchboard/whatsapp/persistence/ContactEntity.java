package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** How to reach one person on one business number. Holds the raw number: never log it. */
@Entity
@Table(name = "contact")
public class ContactEntity extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "phone_number_id")
  public String phoneNumberId;

  @Column(name = "subject_id")
  public String subjectId;

  @Column(name = "wa_id")
  public String waId;

  @Column(name = "user_id")
  public String userId;

  @Column(name = "last_inbound_at")
  public Instant lastInboundAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  public static String key(String phoneNumberId, String subjectId) {
    return phoneNumberId + ":" + subjectId;
  }

  @Override
  public String toString() {
    return "ContactEntity[" + subjectId + "]";
  }
}
