package dev.switchboard.core.persistence;

import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.CallDecision;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.ProcessedState;
import dev.switchboard.core.conversation.ProcessedState.Outcome;
import dev.switchboard.core.conversation.StoredTurn;
import dev.switchboard.core.privacy.PhoneNumberCipher;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * People, conversations, turns, usage, enforcement and processed event ids. Every public method is
 * one transaction.
 */
@ApplicationScoped
public class ConversationStore {
  private final CoreConfig config;
  private final PhoneNumberCipher cipher;

  public ConversationStore(CoreConfig config, PhoneNumberCipher cipher) {
    this.config = config;
    this.cipher = cipher;
  }

  /** Empty when the event was never processed. */
  @Transactional
  public Optional<ProcessedState> processed(String eventId) {
    ProcessedEventEntity processed = ProcessedEventEntity.findById(eventId);
    if (processed == null) {
      return Optional.empty();
    }
    Outcome outcome = Outcome.of(processed.outcome);
    Optional<StoredTurn> turn =
        switch (outcome) {
          case TURN -> storedTurn(eventId);
          case CORRECTED_TRANSCRIPT -> storedTurn(processed.replyText);
          default -> Optional.empty();
        };
    return Optional.of(new ProcessedState(processed.published, outcome, processed.replyText, turn));
  }

  /** The assistant turn answering {@code eventId} with the user text it answered. */
  private Optional<StoredTurn> storedTurn(String eventId) {
    Optional<StoredTurn> turn = Optional.empty();
    {
      TurnEntity assistant =
          TurnEntity.find("eventId = ?1 and role = ?2", eventId, TurnEntity.ASSISTANT)
              .firstResult();
      if (assistant != null) {
        List<TurnEntity> users =
            TurnEntity.list(
                "conversationId = ?1 and role = ?2 and turnIndex < ?3 and turnIndex >= ?4 order by"
                    + " turnIndex",
                assistant.conversationId,
                TurnEntity.USER,
                assistant.turnIndex,
                lastAssistantIndexBefore(assistant));
        StringBuilder userText = new StringBuilder();
        Instant started = assistant.createdAt;
        for (TurnEntity u : users) {
          if (userText.length() > 0) {
            userText.append('\n');
          } else {
            started = u.createdAt;
          }
          userText.append(u.text);
        }
        turn =
            Optional.of(
                new StoredTurn(
                    eventId,
                    assistant.turnIndex,
                    userText.toString(),
                    assistant.text,
                    assistant.model,
                    assistant.language,
                    assistant.interrupted,
                    started,
                    assistant.createdAt));
      }
    }
    return turn;
  }

  private int lastAssistantIndexBefore(TurnEntity assistant) {
    Integer previous =
        em().createQuery(
                "select max(t.turnIndex) from TurnEntity t where t.conversationId = ?1 and t.role"
                    + " = ?2 and t.turnIndex < ?3",
                Integer.class)
            .setParameter(1, assistant.conversationId)
            .setParameter(2, TurnEntity.ASSISTANT)
            .setParameter(3, assistant.turnIndex)
            .getSingleResult();
    return previous == null ? 0 : previous + 1;
  }

  /** Records events answered with a fixed text (blocked, rate limited, started over). */
  @Transactional
  public void recordFixedReply(List<EventMeta> messages, String text, Instant now) {
    for (EventMeta m : messages) {
      markProcessed(m, now, text == null ? Outcome.NONE : Outcome.FIXED_REPLY, text, m.subjectId());
    }
  }

  /** "Start over": earlier turns stop being part of the prompt. */
  @Transactional
  public void startOver(List<EventMeta> messages, String confirmation, Instant now) {
    EventMeta last = messages.get(messages.size() - 1);
    PersonEntity person = PersonEntity.findById(last.subjectId());
    if (person != null) {
      person.contextResetAt = now;
    }
    recordFixedReply(messages, confirmation, now);
  }

  /**
   * "Delete my data": removes the person, their conversations, turns, usage and processed ids, and
   * keeps only this event's id (without the subject) so a redelivery is recognised.
   */
  @Transactional
  public void erase(List<EventMeta> messages, String confirmation, Instant now) {
    String subject = messages.get(0).subjectId();
    em().createNativeQuery("delete from core.turn where subject_id = ?1")
        .setParameter(1, subject)
        .executeUpdate();
    em().createNativeQuery("delete from core.conversation where subject_id = ?1")
        .setParameter(1, subject)
        .executeUpdate();
    em().createNativeQuery("delete from core.monthly_usage where subject_id = ?1")
        .setParameter(1, subject)
        .executeUpdate();
    em().createNativeQuery("delete from core.processed_event where subject_id = ?1")
        .setParameter(1, subject)
        .executeUpdate();
    em().createNativeQuery("delete from core.person where subject_id = ?1")
        .setParameter(1, subject)
        .executeUpdate();
    for (EventMeta m : messages) {
      markProcessed(m, now, Outcome.ERASURE, confirmation, null);
    }
  }

  /** Decides a call: blocked, region, monthly minutes. Records the decision with the event id. */
  @Transactional
  public CallDecision decideCall(
      EventMeta meta, String callerRegion, boolean anonymous, Instant now, Texts texts) {
    CallDecision decision;
    String region = callerRegion == null || callerRegion.isBlank() ? regionOf(meta) : callerRegion;
    if (anonymous || meta.subjectId().isBlank()) {
      decision = CallDecision.refuse("anonymous", texts.regionNotAllowed());
    } else if (isBlocked(meta.subjectId(), now)) {
      decision = CallDecision.refuse("blocked", texts.blocked());
    } else if (!config.core().policy().allowedCallingRegions().contains(region)) {
      decision = CallDecision.refuse("region", texts.regionNotAllowed());
    } else {
      int remaining = config.core().policy().monthlyVoiceMinutes() * 60 - usedSeconds(meta, now);
      decision =
          remaining <= 0
              ? CallDecision.refuse("quota", texts.quotaExhausted())
              : CallDecision.accept(remaining, texts.greeting());
    }
    if (decision.accepted()) {
      upsertPerson(meta, now);
      openConversation(meta, now);
    }
    markProcessed(meta, now, Outcome.DIRECTIVE, decision.encode(), meta.subjectId());
    return decision;
  }

  /** Counts the call's seconds against this month and ends its conversation. */
  @Transactional
  public void callEnded(EventMeta meta, String reason, int durationSeconds, Instant now) {
    if (durationSeconds > 0) {
      em().createNativeQuery(
              "insert into core.monthly_usage (subject_id, month, voice_seconds) values (?1, ?2,"
                  + " ?3) on conflict (subject_id, month) do update set voice_seconds ="
                  + " core.monthly_usage.voice_seconds + excluded.voice_seconds")
          .setParameter(1, meta.subjectId())
          .setParameter(2, month(now))
          .setParameter(3, durationSeconds)
          .executeUpdate();
    }
    ConversationEntity.update(
        "endedAt = ?1, endReason = ?2 where channelKey = ?3 and endedAt is null",
        now,
        reason,
        meta.conversationKey());
    markProcessed(meta, now, Outcome.NONE, null, meta.subjectId());
    ProcessedEventEntity.update("published = true where eventId = ?1", meta.eventId());
  }

  /**
   * The person spoke over the reply to {@code answeredEventId}. A reply still being generated is
   * stopped and stored as interrupted by its turn; this marks one that was already complete (the
   * model is often done long before the caller has heard it all), in the same transaction that
   * records the interruption as processed.
   */
  @Transactional
  public Optional<StoredTurn> replyInterrupted(
      EventMeta meta, String answeredEventId, String heardText, Instant now) {
    TurnEntity assistant =
        TurnEntity.find("eventId = ?1 and role = ?2", answeredEventId, TurnEntity.ASSISTANT)
            .firstResult();
    if (assistant == null || assistant.interrupted) {
      // Stopped in flight (its turn stores it interrupted and says so in its transcript), or
      // already corrected by an earlier interruption: nothing to correct.
      markProcessed(meta, now, Outcome.NONE, null, meta.subjectId());
      ProcessedEventEntity.update("published = true where eventId = ?1", meta.eventId());
      return Optional.empty();
    }
    assistant.interrupted = true;
    if (heardText != null && !heardText.equals(assistant.text)) {
      assistant.generatedText = assistant.text;
      assistant.text = heardText;
    }
    // Published = false until the corrected transcript is confirmed; a redelivery republishes it.
    markProcessed(meta, now, Outcome.CORRECTED_TRANSCRIPT, answeredEventId, meta.subjectId());
    return storedTurn(answeredEventId);
  }

  /** Records an event that needs no output. */
  @Transactional
  public void recordProcessed(EventMeta meta, Instant now) {
    markProcessed(meta, now, Outcome.NONE, null, meta.subjectId());
    ProcessedEventEntity.update("published = true where eventId = ?1", meta.eventId());
  }

  /**
   * The broker confirmed everything these events caused; a redelivery now does nothing. This commit
   * does not wait for the disk: if a crash loses the flag, the redelivery republishes the same
   * event ids, which the channels and safety review drop as duplicates.
   */
  @Transactional
  public void markPublished(List<String> eventIds) {
    em().createNativeQuery("set local synchronous_commit = off").executeUpdate();
    for (String eventId : eventIds) {
      em().createNativeQuery("update core.processed_event set published = true where event_id = ?1")
          .setParameter(1, eventId)
          .executeUpdate();
    }
  }

  /**
   * Applies the latest enforcement action for a person; older actions never win, and a warning
   * never lifts a block that is in force when it is decided (only an unblock or the block's end
   * does). Returns false when the action did not take effect.
   */
  @Transactional
  public boolean applyEnforcement(
      String subjectId, String action, Instant blockedUntil, Instant decidedAt, String eventId) {
    return em().createNativeQuery(
                "insert into core.enforcement (subject_id, action, blocked_until, decided_at,"
                    + " event_id) values (?1, ?2, ?3, ?4, ?5) on conflict (subject_id) do update set"
                    + " action = excluded.action, blocked_until = excluded.blocked_until, decided_at"
                    + " = excluded.decided_at, event_id = excluded.event_id where"
                    + " (core.enforcement.decided_at is null or excluded.decided_at >="
                    + " core.enforcement.decided_at) and not (excluded.action = 'WARN' and"
                    + " core.enforcement.action = 'BLOCK' and (core.enforcement.blocked_until is"
                    + " null or core.enforcement.blocked_until > excluded.decided_at))")
            .setParameter(1, subjectId)
            .setParameter(2, action)
            .setParameter(3, blockedUntil)
            .setParameter(4, decidedAt)
            .setParameter(5, eventId)
            .executeUpdate()
        > 0;
  }

  /** The texts a call decision may use, already personalised. */
  public interface Texts {
    String greeting();

    String blocked();

    String regionNotAllowed();

    String quotaExhausted();
  }

  private boolean isBlocked(String subjectId, Instant now) {
    List<?> rows =
        em().createNativeQuery(
                "select 1 from core.enforcement where subject_id = ?1 and action = 'BLOCK' and"
                    + " (blocked_until is null or blocked_until > ?2)")
            .setParameter(1, subjectId)
            .setParameter(2, now)
            .getResultList();
    return !rows.isEmpty();
  }

  private int usedSeconds(EventMeta meta, Instant now) {
    List<?> rows =
        em().createNativeQuery(
                "select voice_seconds from core.monthly_usage where subject_id = ?1 and month ="
                    + " ?2")
            .setParameter(1, meta.subjectId())
            .setParameter(2, month(now))
            .getResultList();
    return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
  }

  private static LocalDate month(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
  }

  /** Region from the number when the channel did not say: only NANP (+1) is mapped, to US. */
  private static String regionOf(EventMeta meta) {
    return meta.userE164().filter(n -> n.startsWith("+1")).map(n -> "US").orElse("");
  }

  private void markProcessed(
      EventMeta meta, Instant now, Outcome outcome, String replyText, String subjectId) {
    ProcessedEventEntity processed = new ProcessedEventEntity();
    processed.eventId = meta.eventId();
    processed.subjectId = subjectId;
    processed.processedAt = now;
    processed.published = false;
    processed.outcome = outcome.column();
    processed.replyText = replyText;
    processed.conversationKey = meta.conversationKey();
    processed.persist();
  }

  private PersonEntity upsertPerson(EventMeta meta, Instant now) {
    PersonEntity person = PersonEntity.findById(meta.subjectId());
    if (person == null) {
      // Two channels may meet the same new person at once: insert-if-absent, then read back.
      em().createNativeQuery(
              "insert into core.person (subject_id, phone_encrypted, created_at, last_seen_at)"
                  + " values (?1, ?2, ?3, ?3) on conflict (subject_id) do nothing")
          .setParameter(1, meta.subjectId())
          .setParameter(
              2, meta.userE164().map(n -> cipher.encrypt(n, meta.subjectId())).orElse(null))
          .setParameter(3, now)
          .executeUpdate();
      person = PersonEntity.findById(meta.subjectId());
      person.previousSeenAt = now;
      return person;
    }
    person.previousSeenAt = person.lastSeenAt;
    person.lastSeenAt = now;
    if (person.phoneEncrypted == null && meta.userE164().isPresent()) {
      person.phoneEncrypted = cipher.encrypt(meta.userE164().get(), meta.subjectId());
    }
    return person;
  }

  private ConversationEntity openConversation(EventMeta meta, Instant now) {
    ConversationEntity open =
        ConversationEntity.find(
                "channelKey = ?1 and endedAt is null order by startedAt desc",
                meta.conversationKey())
            .firstResult();
    if (open != null
        && meta.channel() == ChannelKind.WHATSAPP
        && open.lastActivityAt.plus(config.core().whatsappLapse()).isBefore(now)) {
      open.endedAt = open.lastActivityAt.plus(config.core().whatsappLapse());
      open.endReason = "lapsed";
      open = null;
    }
    if (open == null) {
      open = new ConversationEntity();
      open.id = UUID.randomUUID();
      open.subjectId = meta.subjectId();
      open.channel = meta.channel().name();
      open.channelKey = meta.conversationKey();
      open.startedAt = now;
      open.lastActivityAt = now;
      open.persist();
    } else {
      open.lastActivityAt = now;
    }
    return open;
  }

  private static EntityManager em() {
    return Panache.getEntityManager();
  }
}
