package dev.switchboard.safety.audit;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Append-only, hash-chained audit trail of views, reveals, decisions and enforcement. Appends are
 * serialized with a transaction-scoped advisory lock so the chain never forks; they join the
 * caller's transaction, so an action and its audit record commit together.
 */
@ApplicationScoped
public class AuditLog {
  private static final long CHAIN_LOCK = 0x5afe_7a11L;

  private final DataSource dataSource;
  private final Clock clock;

  public AuditLog(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** Appends one record. Never put message text or phone numbers in {@code detail}. */
  @Transactional
  public AuditEntry append(String actor, String action, String target, String detail) {
    // PostgreSQL keeps microseconds; hash exactly what is stored.
    Instant at = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
        lock.setLong(1, CHAIN_LOCK);
        lock.execute();
      }
      long seq = 1;
      String prev = AuditChain.GENESIS;
      try (PreparedStatement last =
              c.prepareStatement(
                  "select seq, hash from safety.audit_record order by seq desc limit 1");
          ResultSet rs = last.executeQuery()) {
        if (rs.next()) {
          seq = rs.getLong(1) + 1;
          prev = rs.getString(2);
        }
      }
      String hash = AuditChain.hash(prev, seq, at, actor, action, target, detail);
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into safety.audit_record (seq, at, actor, action, target, detail,"
                  + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setLong(1, seq);
        insert.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        insert.setString(3, actor);
        insert.setString(4, action);
        insert.setString(5, target);
        insert.setString(6, detail);
        insert.setString(7, prev);
        insert.setString(8, hash);
        insert.executeUpdate();
      }
      return new AuditEntry(seq, at, actor, action, target, detail, prev, hash);
    } catch (SQLException e) {
      throw new IllegalStateException("Writing the audit record failed", e);
    }
  }

  @Transactional
  public AuditChain.Verification verify() {
    return AuditChain.verify(read(0, Integer.MAX_VALUE));
  }

  /** Records with seq greater than {@code afterSeq}, oldest first. */
  @Transactional
  public List<AuditEntry> read(long afterSeq, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select seq, at, actor, action, target, detail, prev_hash, hash"
                    + " from safety.audit_record where seq > ? order by seq limit ?")) {
      ps.setLong(1, afterSeq);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditEntry(
                  rs.getLong(1),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the audit trail failed", e);
    }
    return out;
  }

  /** The newest records, newest first, for the audit page. */
  @Transactional
  public List<AuditEntry> latest(int limit) {
    List<AuditEntry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select seq, at, actor, action, target, detail, prev_hash, hash"
                    + " from safety.audit_record order by seq desc limit ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditEntry(
                  rs.getLong(1),
                  rs.getObject(2, OffsetDateTime.class).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the audit trail failed", e);
    }
    return out;
  }
}
