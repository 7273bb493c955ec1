package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Outbound records. A row is claimed (state SENDING) in its own committed transaction before the
 * Graph API call, so a redelivered outbound event finds it and is not sent again.
 */
@ApplicationScoped
public class OutboundMessageRepository
    implements PanacheRepositoryBase<OutboundMessageEntity, String> {

  /** Claims the event id; false if it was already claimed, sent or failed. */
  @Transactional
  public boolean claim(
      String eventId, String conversationId, String subjectId, String phoneNumberId, int part) {
    int inserted =
        getEntityManager()
            .createNativeQuery(
                """
                insert into whatsapp.outbound_message (event_id, conversation_id, subject_id,
                    phone_number_id, part_index, state, created_at, updated_at)
                values (?1, ?2, ?3, ?4, ?5, 'SENDING', now(), now())
                on conflict (event_id) do nothing
                """)
            .setParameter(1, eventId)
            .setParameter(2, conversationId)
            .setParameter(3, subjectId)
            .setParameter(4, phoneNumberId)
            .setParameter(5, part)
            .executeUpdate();
    return inserted == 1;
  }

  @Transactional
  public void markSent(String eventId, String wamid, String kind, int attempts) {
    update(
        "state = 'SENT', wamid = ?2, kind = ?3, attempts = ?4, updatedAt = current_timestamp"
            + " where eventId = ?1",
        eventId,
        wamid,
        kind,
        attempts);
  }

  @Transactional
  public void markFailed(String eventId, int errorCode, String errorTitle, int attempts) {
    update(
        "state = 'FAILED', errorCode = ?2, errorTitle = ?3, attempts = ?4,"
            + " updatedAt = current_timestamp where eventId = ?1",
        eventId,
        errorCode,
        truncate(errorTitle),
        attempts);
  }

  /** Gives a claim back so that a later redelivery may try again (nothing reached Meta). */
  @Transactional
  public void release(String eventId) {
    delete("eventId = ?1 and state = 'SENDING'", eventId);
  }

  /**
   * Applies a status webhook. Statuses can arrive out of order, so the state only moves forward
   * (sent, delivered, read); failed always wins. Returns false if the wamid is not ours.
   */
  @Transactional
  public boolean applyStatus(String wamid, String status, Integer errorCode, String errorTitle) {
    int updated =
        getEntityManager()
            .createNativeQuery(
                """
                update whatsapp.outbound_message set
                  state = case
                    when cast(?2 as varchar) = 'FAILED' then 'FAILED'
                    when (case state when 'SENDING' then 0 when 'SENT' then 1
                                     when 'DELIVERED' then 2 when 'READ' then 3 else 4 end)
                       < (case cast(?2 as varchar) when 'SENT' then 1 when 'DELIVERED' then 2
                                  when 'READ' then 3 else -1 end)
                      then cast(?2 as varchar)
                    else state end,
                  error_code = coalesce(cast(?3 as integer), error_code),
                  error_title = coalesce(cast(?4 as varchar), error_title),
                  updated_at = now()
                where wamid = ?1
                """)
            .setParameter(1, wamid)
            .setParameter(2, status)
            .setParameter(3, errorCode)
            .setParameter(4, truncate(errorTitle))
            .executeUpdate();
    return updated > 0;
  }

  @Transactional
  public Optional<OutboundMessageEntity> byEventId(String eventId) {
    return findByIdOptional(eventId);
  }

  private static String truncate(String value) {
    return value == null || value.length() <= 500 ? value : value.substring(0, 500);
  }
}
