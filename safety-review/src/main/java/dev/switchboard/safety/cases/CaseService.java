package dev.switchboard.safety.cases;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.classification.Verdict;
import dev.switchboard.safety.config.SafetyConfig;
import dev.switchboard.safety.messaging.EnforcementPublisher;
import dev.switchboard.safety.persistence.ReviewCaseEntity;
import dev.switchboard.safety.transcript.CompletedTurn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Opens, prioritises, hands out and closes review cases. At most one case per conversation is open
 * (a partial unique index enforces it under concurrent ingestion); severe categories block the
 * person at once and go to the urgent queue.
 */
@ApplicationScoped
public class CaseService {
  /** Seconds of waiting worth one priority point: 5 points per hour, capped at 50. */
  static final String PRIORITY =
      "severity + least(extract(epoch from (cast(? as timestamptz) - opened_at)) / 720, 50)";

  private final DataSource dataSource;
  private final EnforcementPublisher enforcement;
  private final AuditLog audit;
  private final SafetyConfig config;
  private final Clock clock;
  private final MeterRegistry registry;

  public CaseService(
      DataSource dataSource,
      EnforcementPublisher enforcement,
      AuditLog audit,
      SafetyConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.dataSource = dataSource;
    this.enforcement = enforcement;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
  }

  /** One classified turn. */
  public record ClassifiedTurn(
      CompletedTurn turn, java.util.Map<String, Double> scores, Verdict verdict) {}

  /** Stores the scores on the turn and opens or raises the conversation's case when flagged. */
  public void onClassified(
      CompletedTurn turn, java.util.Map<String, Double> scores, Verdict verdict) {
    onClassified(java.util.List.of(new ClassifiedTurn(turn, scores, verdict)));
  }

  /**
   * Stores the scores of many turns in one transaction (one JDBC batch), then opens or raises cases
   * for the flagged ones and samples the rest for QA.
   */
  @Transactional
  public void onClassified(java.util.List<ClassifiedTurn> classified) {
    Instant now = Instant.now(clock);
    try (Connection c = dataSource.getConnection()) {
      saveScores(c, classified, now);
      for (ClassifiedTurn ct : classified) {
        CompletedTurn turn = ct.turn();
        Verdict verdict = ct.verdict();
        if (verdict.flagged()) {
          Queue queue = verdict.severe() ? Queue.URGENT : Queue.STANDARD;
          OpenedCase opened = upsertFlagged(c, turn, verdict, queue, now);
          if (opened.inserted()) {
            registry.counter("safety.cases.opened", "queue", queue.name()).increment();
          }
          if (verdict.severe() && opened.autoAction() == null) {
            autoBlock(c, opened.id(), turn.subjectId(), verdict.category(), now);
          }
        } else if (QaSampler.sampled(turn.conversationId(), config.classification().qaSampleRate())
            && insertQaIfNeverReviewed(c, turn, now)) {
          registry.counter("safety.cases.opened", "queue", Queue.QA.name()).increment();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Updating cases failed", e);
    }
  }

  private record OpenedCase(long id, String autoAction, boolean inserted) {}

  private static void saveScores(
      Connection c, java.util.List<ClassifiedTurn> classified, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update safety.transcript_turn set classified_at = ?, flagged = ?, top_category = ?,"
                + " top_score = ?, scores = cast(? as jsonb) where event_id = ?")) {
      for (ClassifiedTurn ct : classified) {
        ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        ps.setBoolean(2, ct.verdict().flagged());
        ps.setString(3, ct.verdict().category());
        ps.setFloat(4, (float) ct.verdict().score());
        ps.setString(5, ScoresJson.write(ct.scores()));
        ps.setString(6, ct.turn().eventId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static OpenedCase upsertFlagged(
      Connection c, CompletedTurn turn, Verdict verdict, Queue queue, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            insert into safety.review_case (conversation_id, subject_id, channel, queue, status,
              category, severity, top_score, opened_at, trigger_event_id)
            values (?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?)
            on conflict (conversation_id) where status = 'OPEN' do update set
              severity = greatest(review_case.severity, excluded.severity),
              category = case when excluded.severity > review_case.severity
                then excluded.category else review_case.category end,
              top_score = greatest(review_case.top_score, excluded.top_score),
              queue = case
                when excluded.queue = 'URGENT' or review_case.queue = 'URGENT' then 'URGENT'
                when review_case.queue = 'ESCALATED' then 'ESCALATED'
                else excluded.queue end
            returning id, auto_action, (xmax = 0)
            """)) {
      ps.setString(1, turn.conversationId());
      ps.setString(2, turn.subjectId());
      ps.setString(3, turn.channel());
      ps.setString(4, queue.name());
      ps.setString(5, verdict.category());
      ps.setInt(6, verdict.severity());
      ps.setFloat(7, (float) verdict.score());
      ps.setObject(8, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setString(9, turn.eventId());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new OpenedCase(rs.getLong(1), rs.getString(2), rs.getBoolean(3));
      }
    }
  }

  private static boolean insertQaIfNeverReviewed(Connection c, CompletedTurn turn, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            insert into safety.review_case (conversation_id, subject_id, channel, queue, status,
              severity, opened_at, trigger_event_id)
            select ?, ?, ?, 'QA', 'OPEN', 0, ?, ?
            where not exists (select 1 from safety.review_case where conversation_id = ?)
            on conflict do nothing
            """)) {
      ps.setString(1, turn.conversationId());
      ps.setString(2, turn.subjectId());
      ps.setString(3, turn.channel());
      ps.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setString(5, turn.eventId());
      ps.setString(6, turn.conversationId());
      return ps.executeUpdate() == 1;
    }
  }

  private void autoBlock(Connection c, long caseId, String subjectId, String category, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "update safety.review_case set auto_action = 'BLOCK_PERMANENT' where id = ?")) {
      ps.setLong(1, caseId);
      ps.executeUpdate();
    }
    enforcement.publish(
        new Enforcement(
            "safety:case:" + caseId + ":auto-block",
            subjectId,
            EnforcementChoice.BLOCK_PERMANENT,
            null,
            category,
            caseId,
            now,
            true));
    audit.append(
        "system",
        "enforcement.automatic",
        "case:" + caseId,
        "subject=" + subjectId + " action=block_permanent category=" + category);
  }

  /**
   * Claims the highest-priority case of a queue for a reviewer, or returns the one they already
   * hold there. {@code FOR UPDATE SKIP LOCKED} makes concurrent claims take different cases;
   * expired claims are up for grabs.
   */
  @Transactional
  public Optional<Long> claimNext(Queue queue, String reviewer) {
    Instant now = Instant.now(clock);
    OffsetDateTime nowTs = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update safety.review_case set claimed_by = ?, claim_expires_at = ? where id = ("
                    + " select id from safety.review_case where status = 'OPEN' and queue = ?"
                    + " and (claimed_by is null or claim_expires_at < ? or claimed_by = ?)"
                    + " order by coalesce(claimed_by = ?, false) desc, "
                    + PRIORITY
                    + " desc, opened_at limit 1 for update skip locked) returning id")) {
      ps.setString(1, reviewer);
      ps.setObject(2, nowTs.plus(config.review().claimTtl()));
      ps.setString(3, queue.name());
      ps.setObject(4, nowTs);
      ps.setString(5, reviewer);
      ps.setString(6, reviewer);
      ps.setObject(7, nowTs);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long id = rs.getLong(1);
        audit.append(reviewer, "case.claim", "case:" + id, "queue=" + queue.name());
        return Optional.of(id);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Claiming a case failed", e);
    }
  }

  /** Returns a claimed case to its queue. */
  @Transactional
  public void release(long caseId, String reviewer) {
    ReviewCaseEntity c = ReviewCaseEntity.findById(caseId, LockModeType.PESSIMISTIC_WRITE);
    if (c != null && reviewer.equals(c.claimedBy) && "OPEN".equals(c.status)) {
      c.claimedBy = null;
      c.claimExpiresAt = null;
      audit.append(reviewer, "case.release", "case:" + caseId, "");
    }
  }

  /** Outcome of a decision attempt. */
  public enum DecisionResult {
    DECIDED,
    ESCALATED,
    NOT_YOURS,
    ALREADY_CLOSED,
    INVALID
  }

  /**
   * Records a decision and publishes its enforcement. The reviewer must hold the claim (leads may
   * decide any open case, e.g. escalated ones).
   */
  @Transactional
  public DecisionResult decide(
      long caseId,
      String reviewer,
      boolean isLead,
      Decision decision,
      String category,
      String notes,
      EnforcementChoice choice) {
    ReviewCaseEntity c = ReviewCaseEntity.findById(caseId, LockModeType.PESSIMISTIC_WRITE);
    if (c == null) {
      return DecisionResult.INVALID;
    }
    if (!"OPEN".equals(c.status)) {
      return DecisionResult.ALREADY_CLOSED;
    }
    if (!reviewer.equals(c.claimedBy) && !isLead) {
      return DecisionResult.NOT_YOURS;
    }
    if (decision == Decision.VIOLATION && (category == null || category.isBlank())) {
      return DecisionResult.INVALID;
    }
    if (decision != Decision.VIOLATION
        && choice != EnforcementChoice.NONE
        && choice != EnforcementChoice.UNBLOCK) {
      // Punishing without a finding of violation is not allowed.
      return DecisionResult.INVALID;
    }
    Instant now = Instant.now(clock);
    String safeNotes = notes == null ? "" : notes.strip();
    if (decision == Decision.ESCALATE) {
      c.queue = Queue.ESCALATED.name();
      c.claimedBy = null;
      c.claimExpiresAt = null;
      c.notes = appendNote(c.notes, reviewer, safeNotes);
      audit.append(reviewer, "case.escalate", "case:" + caseId, "");
      return DecisionResult.ESCALATED;
    }
    c.status = "CLOSED";
    c.decision = decision.name();
    c.decisionCategory = decision == Decision.VIOLATION ? category : null;
    c.decidedBy = reviewer;
    c.decidedAt = now;
    c.notes = appendNote(c.notes, reviewer, safeNotes);
    c.enforcement = choice.name();
    c.claimedBy = null;
    c.claimExpiresAt = null;
    audit.append(
        reviewer,
        "case.decision",
        "case:" + caseId,
        "decision="
            + decision.name().toLowerCase(Locale.ROOT)
            + (c.decisionCategory == null ? "" : " category=" + c.decisionCategory));
    Timer.builder("safety.case.time_to_decision")
        .description("From case opened (flag) to human decision")
        .tag("queue", c.queue)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(c.openedAt, now));
    registry
        .counter(
            "safety.decisions",
            "reviewer",
            reviewer,
            "decision",
            decision.name().toLowerCase(Locale.ROOT))
        .increment();
    if (choice == EnforcementChoice.WARN && blockInForce(c.subjectId, caseId, now)) {
      // The topic is compacted by person: a warning published now would replace the block there,
      // and a consumer replaying it would let the person back in. The warning stays on the case.
      audit.append(
          reviewer,
          "enforcement.warning_kept_on_case",
          "case:" + caseId,
          "subject=" + c.subjectId + " block in force");
    } else if (choice != EnforcementChoice.NONE) {
      Instant until = choice.blockFor().map(now::plus).orElse(null);
      enforcement.publish(
          new Enforcement(
              "safety:case:" + caseId + ":decision:" + now.toEpochMilli(),
              c.subjectId,
              choice,
              until,
              c.decisionCategory,
              caseId,
              now,
              false));
      audit.append(
          reviewer,
          "enforcement.human",
          "case:" + caseId,
          "subject="
              + c.subjectId
              + " action="
              + choice.name().toLowerCase(Locale.ROOT)
              + (until == null ? "" : " until=" + until));
    }
    return DecisionResult.DECIDED;
  }

  /**
   * Whether an earlier automatic block or decision on another case of this person still blocks them
   * at {@code now}: the latest block or unblock wins, and a timed block ends by itself.
   */
  static boolean blockInForce(String subjectId, long exceptCaseId, Instant now) {
    java.util.List<ReviewCaseEntity> earlier =
        ReviewCaseEntity.list(
            "subjectId = ?1 and id <> ?2 and (enforcement is not null or autoAction is not null)",
            subjectId,
            exceptCaseId);
    record Step(Instant at, boolean blocks, Instant until) {}
    java.util.List<Step> steps = new java.util.ArrayList<>();
    for (ReviewCaseEntity e : earlier) {
      if ("BLOCK_PERMANENT".equals(e.autoAction)) {
        steps.add(new Step(e.openedAt, true, null));
      }
      if (e.enforcement != null && e.decidedAt != null) {
        EnforcementChoice decided = EnforcementChoice.valueOf(e.enforcement);
        if (decided.isBlock()) {
          steps.add(
              new Step(e.decidedAt, true, decided.blockFor().map(e.decidedAt::plus).orElse(null)));
        } else if (decided == EnforcementChoice.UNBLOCK) {
          steps.add(new Step(e.decidedAt, false, null));
        }
      }
    }
    return steps.stream()
        .max(java.util.Comparator.comparing(Step::at))
        .map(last -> last.blocks() && (last.until() == null || last.until().isAfter(now)))
        .orElse(false);
  }

  private static String appendNote(String existing, String reviewer, String note) {
    if (note.isEmpty()) {
      return existing;
    }
    String line = reviewer + ": " + note;
    return existing == null || existing.isEmpty() ? line : existing + "\n" + line;
  }
}
