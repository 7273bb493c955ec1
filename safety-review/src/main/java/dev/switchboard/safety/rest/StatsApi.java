package dev.switchboard.safety.rest;

import dev.switchboard.safety.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Review throughput for leads: decisions per reviewer, time to decision, auto vs human actions. */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsApi {
  /** One reviewer's decisions. */
  public record ReviewerStats(
      String reviewer, long decisions, double meanSecondsToDecision, double p95SecondsToDecision) {}

  /** Enforcement by origin. */
  public record ActionStats(long automatic, long human) {}

  private final DataSource dataSource;

  public StatsApi(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @GET
  @Path("reviewers")
  @RolesAllowed(Roles.LEAD)
  @Transactional
  @Operation(summary = "Decisions per reviewer and time from flag to decision")
  public List<ReviewerStats> reviewers() {
    List<ReviewerStats> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select decided_by, count(*), avg(extract(epoch from decided_at - opened_at)),"
                    + " percentile_cont(0.95) within group"
                    + " (order by extract(epoch from decided_at - opened_at))"
                    + " from safety.review_case where decided_by is not null"
                    + " group by decided_by order by decided_by");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ReviewerStats(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Reading reviewer statistics failed", e);
    }
    return out;
  }

  @GET
  @Path("actions")
  @RolesAllowed(Roles.LEAD)
  @Transactional
  @Operation(summary = "Enforcement actions taken automatically and by people")
  public ActionStats actions() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) filter (where auto_action is not null),"
                    + " count(*) filter (where enforcement is not null and enforcement <> 'NONE')"
                    + " from safety.review_case");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new ActionStats(rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new IllegalStateException("Reading action statistics failed", e);
    }
  }
}
