package dev.switchboard.safety.persistence;

import dev.switchboard.safety.cases.Queue;
import dev.switchboard.safety.cases.QueueStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Queries over review cases that the entity API would make awkward or slow. */
@ApplicationScoped
public class CaseRepository {
  private final DataSource dataSource;

  public CaseRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Per-queue counts and oldest open case; every queue appears, empty ones with zeros. */
  public List<QueueStats> queueStats(Instant now) {
    Map<Queue, QueueStats> stats = new EnumMap<>(Queue.class);
    for (Queue q : Queue.values()) {
      stats.put(q, new QueueStats(q, 0, 0, null));
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select queue, count(*),"
                    + " count(*) filter (where claimed_by is null or claim_expires_at < ?),"
                    + " min(opened_at) from safety.review_case where status = 'OPEN'"
                    + " group by queue")) {
      ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Queue q = Queue.valueOf(rs.getString(1));
          OffsetDateTime oldest = rs.getObject(4, OffsetDateTime.class);
          stats.put(
              q,
              new QueueStats(
                  q, rs.getLong(2), rs.getLong(3), oldest == null ? null : oldest.toInstant()));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading queue statistics failed", e);
    }
    return List.copyOf(stats.values());
  }
}
