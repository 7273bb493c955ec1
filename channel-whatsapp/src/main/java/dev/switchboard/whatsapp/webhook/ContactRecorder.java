package dev.switchboard.whatsapp.webhook;

import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.persistence.ContactRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers how to reach each person (subject id to wa_id) and when they last wrote, in the contact
 * table. The webhook path writes only when this process has not written that contact recently, so a
 * busy conversation costs no database round trip per message; the last-message time may therefore
 * lag by up to {@code switchboard.whatsapp.inbound.last-seen-refresh}, which only makes the 24-hour
 * window end early, never late.
 */
@ApplicationScoped
public class ContactRecorder {
  private static final int MAX_REMEMBERED = 200_000;

  private final ContactRepository contacts;
  private final Duration refresh;
  private final Map<String, Instant> recentlyWritten = new ConcurrentHashMap<>();

  public ContactRecorder(ContactRepository contacts, WhatsAppConfig config) {
    this.contacts = contacts;
    this.refresh = config.inbound().lastSeenRefresh();
  }

  /** A contact write the webhook must make before acknowledging, or null when none is needed. */
  public Runnable pendingWrite(
      String phoneNumberId, String subjectId, String waId, String userId, Instant sentAt) {
    String key = phoneNumberId + ":" + subjectId + ":" + (waId == null ? "" : waId);
    Instant written = recentlyWritten.get(key);
    if (written != null && !sentAt.isAfter(written.plus(refresh))) {
      return null;
    }
    return () -> {
      contacts.recordInbound(phoneNumberId, subjectId, waId, userId, sentAt);
      if (recentlyWritten.size() > MAX_REMEMBERED) {
        recentlyWritten.clear();
      }
      recentlyWritten.merge(key, sentAt, (a, b) -> a.isAfter(b) ? a : b);
    };
  }
}
