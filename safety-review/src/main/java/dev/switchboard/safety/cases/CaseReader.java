package dev.switchboard.safety.cases;

import dev.switchboard.safety.crypto.OriginalText;
import dev.switchboard.safety.crypto.TranscriptCipher;
import dev.switchboard.safety.persistence.ReviewCaseEntity;
import dev.switchboard.safety.persistence.TranscriptRepository;
import dev.switchboard.safety.persistence.TranscriptTurnEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds the case page's view; decrypts originals only when a lead has justified a reveal. */
@ApplicationScoped
public class CaseReader {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final TranscriptRepository transcripts;
  private final TranscriptCipher cipher;

  public CaseReader(TranscriptRepository transcripts, TranscriptCipher cipher) {
    this.transcripts = transcripts;
    this.cipher = cipher;
  }

  @Transactional
  public Optional<ReviewCaseEntity> find(long id) {
    return ReviewCaseEntity.findByIdOptional(id);
  }

  @Transactional
  public Optional<CaseView> view(long id, boolean reveal) {
    ReviewCaseEntity c = ReviewCaseEntity.findById(id);
    if (c == null) {
      return Optional.empty();
    }
    List<CaseView.TurnView> turns =
        transcripts.conversation(c.conversationId).stream().map(t -> turnView(t, reveal)).toList();
    List<CaseView.EarlierCase> earlier =
        ReviewCaseEntity.<ReviewCaseEntity>list(
                "subjectId = ?1 and id <> ?2 order by openedAt desc", c.subjectId, c.id)
            .stream()
            .limit(20)
            .map(
                e ->
                    new CaseView.EarlierCase(
                        e.id,
                        time(e.openedAt),
                        e.queue,
                        e.status,
                        e.decision == null ? "" : e.decision,
                        e.decisionCategory == null ? nz(e.category) : e.decisionCategory))
            .toList();
    return Optional.of(
        new CaseView(
            c.id,
            c.queue,
            c.status,
            nz(c.category),
            c.severity,
            c.topScore == null ? "" : String.format("%.2f", c.topScore),
            time(c.openedAt),
            c.channel,
            c.subjectId,
            c.conversationId,
            nz(c.claimedBy),
            time(c.claimExpiresAt),
            nz(c.autoAction),
            nz(c.decision),
            nz(c.notes),
            turns,
            earlier,
            reveal));
  }

  private CaseView.TurnView turnView(TranscriptTurnEntity t, boolean reveal) {
    String user = t.userTextDisplay;
    String assistant = t.assistantTextDisplay;
    if (reveal) {
      try {
        OriginalText original =
            OriginalText.fromBytes(cipher.decrypt(t.originalCiphertext, t.eventId));
        user = original.userText();
        assistant = original.assistantText();
      } catch (GeneralSecurityException e) {
        user = "[original cannot be decrypted with key " + t.keyId + "]";
      }
    }
    return new CaseView.TurnView(
        t.turnIndex,
        user,
        assistant,
        time(t.completedAt != null ? t.completedAt : t.receivedAt),
        Boolean.TRUE.equals(t.flagged),
        topScores(t.scores),
        t.interrupted);
  }

  /** The three highest category scores, e.g. "harassment 0.75 · violence 0.12". */
  static String topScores(Map<String, Double> scores) {
    if (scores == null || scores.isEmpty()) {
      return "not classified yet";
    }
    return scores.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(3)
        .map(e -> e.getKey() + " " + String.format("%.2f", e.getValue()))
        .collect(Collectors.joining(" · "));
  }

  private static String time(Instant i) {
    return i == null ? "" : TIME.format(i);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
