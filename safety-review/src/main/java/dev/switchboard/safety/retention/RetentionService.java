package dev.switchboard.safety.retention;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.config.SafetyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes transcripts older than the retention period unless an open case or a legal hold keeps
 * them, and erases a person's transcripts on request (again except under hold). Cases keep only ids
 * and categories, so they stay as the record of what was decided.
 */
@ApplicationScoped
public class RetentionService {
  private static final Logger LOG = Logger.getLogger(RetentionService.class);

  private final DataSource dataSource;
  private final SafetyConfig config;
  private final Clock clock;
  private final AuditLog audit;
  private final Counter expired;
  private final Counter erased;
  private final AtomicLong lastRunEpochSeconds = new AtomicLong();

  public RetentionService(
      DataSource dataSource,
      SafetyConfig config,
      Clock clock,
      AuditLog audit,
      MeterRegistry registry) {
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.audit = audit;
    this.expired = registry.counter("safety.retention.deleted", "reason", "expired");
    this.erased = registry.counter("safety.retention.deleted", "reason", "erasure");
    registry.gauge("safety.retention.last_run_epoch_seconds", lastRunEpochSeconds);
  }

  @Scheduled(
      every = "${switchboard.retention.every:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    int deleted =
        expireOlderThan(Instant.now(clock).minus(Duration.ofDays(config.retention().days())));
    LOG.infof("Retention: %d expired transcript turns deleted", deleted);
  }

  /** Deletes turns received before {@code cutoff} that nothing keeps; returns how many. */
  @Transactional
  public int expireOlderThan(Instant cutoff) {
    int n =
        update(
            """
            delete from safety.transcript_turn t
            where t.received_at < ?
              and not exists (select 1 from safety.legal_hold h where h.subject_id = t.subject_id)
              and not exists (select 1 from safety.review_case c
                              where c.conversation_id = t.conversation_id and c.status = 'OPEN')
            """,
            OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
    expired.increment(n);
    lastRunEpochSeconds.set(Instant.now(clock).getEpochSecond());
    if (n > 0) {
      audit.append("system", "retention.expire", "transcripts", "deleted=" + n);
    }
    return n;
  }

  /** Erases one person's transcripts unless held; returns how many turns were deleted. */
  @Transactional
  public int erase(String subjectId, String requestEventId) {
    int n =
        update(
            """
            delete from safety.transcript_turn t
            where t.subject_id = ?
              and not exists (select 1 from safety.legal_hold h where h.subject_id = t.subject_id)
            """,
            subjectId);
    if (n > 0) {
      // Nothing is left to review in their open cases.
      update(
          "update safety.review_case set status = 'CLOSED', decision = 'ERASED', claimed_by = null"
              + " where subject_id = ? and status = 'OPEN'",
          subjectId);
    }
    erased.increment(n);
    audit.append(
        "system",
        n > 0 || !held(subjectId) ? "erasure" : "erasure.held",
        "subject:" + subjectId,
        "deleted=" + n + " request=" + requestEventId);
    return n;
  }

  private boolean held(String subjectId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from safety.legal_hold where subject_id = ?")) {
      ps.setString(1, subjectId);
      return ps.executeQuery().next();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private int update(String sql, Object param) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Retention update failed", e);
    }
  }
}
