package dev.switchboard.safety.retention;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Legal holds: a held person's transcripts outlive retention and erasure. */
@ApplicationScoped
public class LegalHolds {
  /** One hold. */
  public record Hold(String subjectId, String reason, String createdBy, Instant createdAt) {}

  private final DataSource dataSource;
  private final Clock clock;

  public LegalHolds(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  @Transactional
  public void place(String subjectId, String reason, String by) {
    run(
        "insert into safety.legal_hold (subject_id, reason, created_by, created_at)"
            + " values (?, ?, ?, ?) on conflict (subject_id) do update set reason = excluded.reason",
        subjectId,
        reason,
        by,
        OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC));
  }

  @Transactional
  public void release(String subjectId) {
    run("delete from safety.legal_hold where subject_id = ?", subjectId);
  }

  @Transactional
  public boolean isHeld(String subjectId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from safety.legal_hold where subject_id = ?")) {
      ps.setString(1, subjectId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading legal holds failed", e);
    }
  }

  @Transactional
  public List<Hold> all() {
    List<Hold> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select subject_id, reason, created_by, created_at from safety.legal_hold"
                    + " order by created_at desc");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Hold(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading legal holds failed", e);
    }
    return out;
  }

  private void run(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Updating legal holds failed", e);
    }
  }
}
