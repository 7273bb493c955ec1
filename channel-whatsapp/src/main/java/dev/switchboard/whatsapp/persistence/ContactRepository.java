package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/** Contact rows: written when a person writes to us, read when we answer them. */
@ApplicationScoped
public class ContactRepository implements PanacheRepositoryBase<ContactEntity, String> {

  /** Upserts the person's address and moves their last-message time forward, never back. */
  @Transactional
  public void recordInbound(
      String phoneNumberId, String subjectId, String waId, String userId, Instant sentAt) {
    getEntityManager()
        .createNativeQuery(
            """
            insert into whatsapp.contact (id, phone_number_id, subject_id, wa_id, user_id,
                                 last_inbound_at, updated_at)
            values (?1, ?2, ?3, cast(?4 as varchar), cast(?5 as varchar), ?6, now())
            on conflict (id) do update set
              wa_id = coalesce(excluded.wa_id, contact.wa_id),
              user_id = coalesce(excluded.user_id, contact.user_id),
              last_inbound_at = greatest(contact.last_inbound_at, excluded.last_inbound_at),
              updated_at = now()
            """)
        .setParameter(1, ContactEntity.key(phoneNumberId, subjectId))
        .setParameter(2, phoneNumberId)
        .setParameter(3, subjectId)
        .setParameter(4, waId)
        .setParameter(5, userId)
        .setParameter(6, sentAt)
        .executeUpdate();
  }

  @Transactional
  public Optional<ContactEntity> find(String phoneNumberId, String subjectId) {
    return findByIdOptional(ContactEntity.key(phoneNumberId, subjectId));
  }
}
