package dev.switchboard.whatsapp.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Media jobs: enqueued by the webhook, finished by the media worker. */
@ApplicationScoped
public class MediaJobRepository implements PanacheRepositoryBase<MediaJobEntity, String> {

  /** Enqueues once per event id; a redelivered webhook finds the job already there. */
  @Transactional
  public void enqueue(
      String eventId,
      String phoneNumberId,
      String subjectId,
      String mediaId,
      String kind,
      String mimeType,
      byte[] event) {
    getEntityManager()
        .createNativeQuery(
            """
            insert into whatsapp.media_job (event_id, phone_number_id, subject_id, media_id,
                media_kind, mime_type, event, state, created_at, updated_at)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING', now(), now())
            on conflict (event_id) do nothing
            """)
        .setParameter(1, eventId)
        .setParameter(2, phoneNumberId)
        .setParameter(3, subjectId)
        .setParameter(4, mediaId)
        .setParameter(5, kind)
        .setParameter(6, mimeType)
        .setParameter(7, event)
        .executeUpdate();
  }

  @Transactional
  public Optional<MediaJobEntity> pending(String eventId) {
    return find("eventId = ?1 and state = 'PENDING'", eventId).firstResultOptional();
  }

  /** Pending jobs not touched for a while: their worker died or the process restarted. */
  @Transactional
  public List<String> stale(Instant untouchedSince, int limit) {
    return find("state = 'PENDING' and updatedAt < ?1 order by createdAt", untouchedSince)
        .page(0, limit)
        .list()
        .stream()
        .map(job -> job.eventId)
        .toList();
  }

  @Transactional
  public void touch(String eventId) {
    update("attempts = attempts + 1, updatedAt = current_timestamp where eventId = ?1", eventId);
  }

  @Transactional
  public void finish(String eventId, String state, String error) {
    update(
        "state = ?2, lastError = ?3, updatedAt = current_timestamp where eventId = ?1",
        eventId,
        state,
        error == null || error.length() <= 500 ? error : error.substring(0, 500));
  }
}
