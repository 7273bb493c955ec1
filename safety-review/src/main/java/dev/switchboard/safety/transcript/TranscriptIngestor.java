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

/**
 * Stores a completed turn once: redacted display copy plus the encrypted original.
 *
 * <p>A transcript marked interrupted for a turn already stored under another event id (same
 * conversation and turn index: the core's correction when the caller talked over a reply that was
 * already complete) updates that turn instead of adding a second one: the texts become what the
 * caller heard and the turn is marked interrupted. Its classification stays: it scores the person's
 * words, which the correction does not change (the assistant's text only got shorter).
 */
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
    return !storeAll(java.util.List.of(turn)).fresh().isEmpty();
  }

  /**
   * What a batch did.
   *
   * @param fresh turns stored for the first time, in order (to classify)
   * @param corrected transcripts that corrected a turn stored before
   */
  public record Stored(java.util.List<CompletedTurn> fresh, int corrected) {}

  /**
   * Stores many turns in one transaction and returns the ones that were new, in order. Two copies
   * of one event id in the same batch count once.
   */
  @Transactional
  public Stored storeAll(java.util.List<CompletedTurn> turns) {
    java.util.Map<String, CompletedTurn> unique = new java.util.LinkedHashMap<>();
    for (CompletedTurn t : turns) {
      unique.putIfAbsent(t.eventId(), t);
    }
    Instant now = Instant.now(clock);
    // Turns not marked interrupted first, so that a correction finds its turn even when both
    // arrive in this batch (the transaction sees its own inserts).
    java.util.List<CompletedTurn> fresh =
        insert(unique.values().stream().filter(t -> !t.interrupted()).toList(), now);
    java.util.List<CompletedTurn> interruptedNew = new java.util.ArrayList<>();
    int corrected = 0;
    for (CompletedTurn t : unique.values()) {
      if (!t.interrupted()) {
        continue;
      }
      java.util.Optional<String> stored =
          repository.turnToCorrect(t.conversationId(), t.turnIndex(), t.eventId());
      if (stored.isPresent()) {
        // Sealed under the stored turn's event id: the id is the cipher's associated data.
        repository.correct(prepare(withEventId(t, stored.get()), now));
        corrected++;
      } else {
        interruptedNew.add(t); // stopped while generating: its first and only transcript
      }
    }
    fresh.addAll(insert(interruptedNew, now));
    return new Stored(fresh, corrected);
  }

  /** Inserts turns whose event id is new; returns those, in order. */
  private java.util.List<CompletedTurn> insert(java.util.List<CompletedTurn> turns, Instant now) {
    java.util.List<CompletedTurn> fresh = new java.util.ArrayList<>();
    if (turns.isEmpty()) {
      return fresh;
    }
    boolean[] inserted =
        repository.insertAllIfAbsent(turns.stream().map(t -> prepare(t, now)).toList());
    for (int i = 0; i < inserted.length; i++) {
      if (inserted[i]) {
        fresh.add(turns.get(i));
      }
    }
    return fresh;
  }

  private static CompletedTurn withEventId(CompletedTurn t, String eventId) {
    return new CompletedTurn(
        eventId,
        t.conversationId(),
        t.subjectId(),
        t.channel(),
        t.turnIndex(),
        t.userText(),
        t.assistantText(),
        t.startedAt(),
        t.completedAt(),
        t.interrupted(),
        t.model(),
        t.language());
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
