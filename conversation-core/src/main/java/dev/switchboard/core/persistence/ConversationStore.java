package dev.switchboard.core.persistence;

import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.EventMeta;
import dev.switchboard.core.conversation.PreparedTurn;
import dev.switchboard.core.conversation.ProcessedState;
import dev.switchboard.core.conversation.PromptMessage;
import dev.switchboard.core.conversation.StoredTurn;
import dev.switchboard.core.privacy.PhoneNumberCipher;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** People, conversations, turns and processed event ids. Every public method is one transaction. */
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
    List<TurnEntity> turns = TurnEntity.list("eventId = ?1 order by turnIndex", eventId);
    Optional<StoredTurn> turn = Optional.empty();
    TurnEntity user = null;
    for (TurnEntity t : turns) {
      if (TurnEntity.USER.equals(t.role)) {
        user = t;
      } else if (TurnEntity.ASSISTANT.equals(t.role)) {
        turn =
            Optional.of(
                new StoredTurn(
                    eventId,
                    t.turnIndex,
                    user == null ? "" : user.text,
                    t.text,
                    t.model,
                    t.language,
                    t.interrupted,
                    user == null ? t.createdAt : user.createdAt,
                    t.createdAt));
      }
    }
    return Optional.of(new ProcessedState(processed.published, turn));
  }

  /**
   * Records the person (number encrypted), finds or opens the conversation, and reads the history
   * the prompt needs.
   */
  @Transactional
  public PreparedTurn prepare(EventMeta meta, Instant now) {
    boolean firstContact = upsertPerson(meta, now);
    ConversationEntity conversation = openConversation(meta, now);
    Integer maxIndex =
        Panache.getEntityManager()
            .createQuery(
                "select max(t.turnIndex) from TurnEntity t where t.conversationId = ?1",
                Integer.class)
            .setParameter(1, conversation.id)
            .getSingleResult();
    int next = maxIndex == null ? 0 : maxIndex + 1;
    return new PreparedTurn(conversation.id, next, history(conversation.id), firstContact);
  }

  /** Stores the user's turn, the assistant's turn and the processed event id together. */
  @Transactional
  public void recordTurn(
      EventMeta meta,
      UUID conversationId,
      StoredTurn turn,
      List<String> mediaRefs,
      int inputTokens,
      int outputTokens,
      long latencyMs) {
    TurnEntity user = new TurnEntity();
    user.conversationId = conversationId;
    user.subjectId = meta.subjectId();
    user.turnIndex = turn.turnIndex();
    user.role = TurnEntity.USER;
    user.text = turn.userText();
    user.mediaRefs = mediaRefs.isEmpty() ? null : String.join("\n", mediaRefs);
    user.eventId = turn.inboundEventId();
    user.language = turn.language();
    user.createdAt = turn.startedAt();
    user.persist();

    TurnEntity assistant = new TurnEntity();
    assistant.conversationId = conversationId;
    assistant.subjectId = meta.subjectId();
    assistant.turnIndex = turn.turnIndex() + 1;
    assistant.role = TurnEntity.ASSISTANT;
    assistant.text = turn.assistantText();
    assistant.eventId = turn.inboundEventId();
    assistant.model = turn.model();
    assistant.inputTokens = inputTokens;
    assistant.outputTokens = outputTokens;
    assistant.latencyMs = (int) Math.min(Integer.MAX_VALUE, latencyMs);
    assistant.interrupted = turn.interrupted();
    assistant.language = turn.language();
    assistant.createdAt = turn.completedAt();
    assistant.persist();

    markProcessed(meta, turn.completedAt(), false);
    ConversationEntity conversation = ConversationEntity.findById(conversationId);
    conversation.lastActivityAt = turn.completedAt();
  }

  /** Records an event that produced nothing to publish (or whose effects are elsewhere). */
  @Transactional
  public void recordProcessed(EventMeta meta, Instant now, boolean published) {
    markProcessed(meta, now, published);
  }

  /** The broker confirmed everything the event caused; a redelivery now does nothing at all. */
  @Transactional
  public void markPublished(String eventId) {
    ProcessedEventEntity.update("published = true where eventId = ?1", eventId);
  }

  private void markProcessed(EventMeta meta, Instant now, boolean published) {
    ProcessedEventEntity processed = new ProcessedEventEntity();
    processed.eventId = meta.eventId();
    processed.subjectId = meta.subjectId();
    processed.processedAt = now;
    processed.published = published;
    processed.persist();
  }

  /** True when this is the first time we hear from the person. */
  private boolean upsertPerson(EventMeta meta, Instant now) {
    PersonEntity person = PersonEntity.findById(meta.subjectId());
    if (person == null) {
      // Two channels may meet the same new person at once: insert-if-absent, then read back.
      int inserted =
          Panache.getEntityManager()
              .createNativeQuery(
                  "insert into core.person (subject_id, phone_encrypted, created_at, last_seen_at)"
                      + " values (?1, ?2, ?3, ?3) on conflict (subject_id) do nothing")
              .setParameter(1, meta.subjectId())
              .setParameter(
                  2, meta.userE164().map(n -> cipher.encrypt(n, meta.subjectId())).orElse(null))
              .setParameter(3, now)
              .executeUpdate();
      return inserted == 1;
    }
    person.lastSeenAt = now;
    if (person.phoneEncrypted == null && meta.userE164().isPresent()) {
      person.phoneEncrypted = cipher.encrypt(meta.userE164().get(), meta.subjectId());
    }
    return false;
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

  private List<PromptMessage> history(UUID conversationId) {
    List<TurnEntity> recent =
        TurnEntity.find("conversationId = ?1 order by turnIndex desc", conversationId)
            .page(0, config.core().prompt().historyTurns())
            .list();
    List<PromptMessage> history = new ArrayList<>();
    int budgetChars = config.core().prompt().historyTokenBudget() * 4;
    for (TurnEntity t : recent) {
      budgetChars -= t.text.length();
      if (budgetChars < 0) {
        break;
      }
      history.add(
          new PromptMessage(
              TurnEntity.USER.equals(t.role)
                  ? PromptMessage.Role.USER
                  : PromptMessage.Role.ASSISTANT,
              t.text));
    }
    Collections.reverse(history);
    return history;
  }
}
