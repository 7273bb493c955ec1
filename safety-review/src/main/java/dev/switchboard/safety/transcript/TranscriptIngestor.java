package dev.switchboard.safety.transcript;

import dev.switchboard.safety.crypto.OriginalText;
import dev.switchboard.safety.crypto.TranscriptCipher;
import dev.switchboard.safety.persistence.TranscriptRepository;
import dev.switchboard.safety.redaction.Redaction;
import dev.switchboard.safety.redaction.Redactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/** Stores a completed turn once: redacted display copy plus the encrypted original. */
@ApplicationScoped
public class TranscriptIngestor {
  private final Redactor redactor;
  private final TranscriptCipher cipher;
  private final TranscriptRepository repository;
  private final Clock clock;

  public TranscriptIngestor(
      Redactor redactor, TranscriptCipher cipher, TranscriptRepository repository, Clock clock) {
    this.redactor = redactor;
    this.cipher = cipher;
    this.repository = repository;
    this.clock = clock;
  }

  /** Returns true when the turn was new, false when this event id was already stored. */
  @Transactional
  public boolean store(CompletedTurn turn) {
    return repository.insertIfAbsent(prepare(turn, Instant.now(clock)));
  }

  /**
   * Stores many turns in one transaction and returns the ones that were new, in order. Two copies
   * of one event id in the same batch count once.
   */
  @Transactional
  public java.util.List<CompletedTurn> storeAll(java.util.List<CompletedTurn> turns) {
    java.util.Map<String, CompletedTurn> unique = new java.util.LinkedHashMap<>();
    for (CompletedTurn t : turns) {
      unique.putIfAbsent(t.eventId(), t);
    }
    java.util.List<CompletedTurn> candidates = new java.util.ArrayList<>(unique.values());
    Instant now = Instant.now(clock);
    boolean[] inserted =
        repository.insertAllIfAbsent(candidates.stream().map(t -> prepare(t, now)).toList());
    java.util.List<CompletedTurn> fresh = new java.util.ArrayList<>();
    for (int i = 0; i < inserted.length; i++) {
      if (inserted[i]) {
        fresh.add(candidates.get(i));
      }
    }
    return fresh;
  }

  StoredTurn prepare(CompletedTurn turn, Instant receivedAt) {
    Redaction user = redactor.redact(turn.userText());
    Redaction assistant = redactor.redact(turn.assistantText());
    byte[] sealed =
        cipher.encrypt(
            new OriginalText(turn.userText(), turn.assistantText()).toBytes(), turn.eventId());
    return new StoredTurn(
        turn.eventId(),
        turn.conversationId(),
        turn.subjectId(),
        turn.channel(),
        turn.turnIndex(),
        user.text(),
        assistant.text(),
        user.count() + assistant.count(),
        sealed,
        cipher.keyId(),
        turn.startedAt(),
        turn.completedAt(),
        receivedAt,
        turn.interrupted(),
        turn.model(),
        turn.language());
  }
}
