package dev.switchboard.safety.wellness;

import dev.switchboard.safety.config.SafetyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import javax.sql.DataSource;

/** Counts flagged conversations each reviewer opens per (UTC) day, for the soft exposure limit. */
@ApplicationScoped
public class ExposureTracker {
  private final DataSource dataSource;
  private final Clock clock;
  private final SafetyConfig config;

  public ExposureTracker(DataSource dataSource, Clock clock, SafetyConfig config) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.config = config;
  }

  @Transactional
  public int recordView(String username) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into safety.exposure_count (username, day, views) values (?, ?, 1)"
                    + " on conflict (username, day) do update set views ="
                    + " safety.exposure_count.views + 1 returning views")) {
      ps.setString(1, username);
      ps.setObject(2, LocalDate.now(clock));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Recording exposure failed", e);
    }
  }

  @Transactional
  public int today(String username) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select views from safety.exposure_count where username = ? and day = ?")) {
      ps.setString(1, username);
      ps.setObject(2, LocalDate.now(clock));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading exposure failed", e);
    }
  }

  public int softLimit() {
    return config.review().dailyExposureSoftLimit();
  }
}
