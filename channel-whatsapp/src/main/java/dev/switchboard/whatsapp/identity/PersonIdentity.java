package dev.switchboard.whatsapp.identity;

import dev.switchboard.contracts.identity.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a WhatsApp sender into a subject id. With a number: the shared {@link SubjectIds} of its
 * E.164 form, so the person keeps one history across phone and WhatsApp. With only a
 * business-scoped user id (Meta withheld the number): the same HMAC and pepper over {@code
 * "wa-user:" + user_id}, which cannot collide with a number because it is not E.164.
 */
@ApplicationScoped
public class PersonIdentity {
  private static final int MAX_CACHED = 100_000;

  private final SubjectIds subjectIds;

  /** Subject ids are pure functions of the number; caching spares an HMAC per message. */
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  public PersonIdentity(SubjectIds subjectIds) {
    this.subjectIds = subjectIds;
  }

  public String subjectOf(String waId, String userId) {
    String key = waId != null ? waId : "u:" + userId;
    String cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    String subject = derive(waId, userId);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(key, subject);
    return subject;
  }

  private String derive(String waId, String userId) {
    return waId != null ? subjectIds.of("+" + waId) : subjectIds.ofIdentity("wa-user", userId);
  }
}
