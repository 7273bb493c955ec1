package dev.switchboard.safety.rest;

import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.cases.QueueStats;
import dev.switchboard.safety.persistence.CaseRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Queue depth and age for dashboards and tooling. */
@Path("/api/queues")
@Produces(MediaType.APPLICATION_JSON)
public class QueueApi {
  /** One queue's state. */
  public record QueueView(
      String queue, long open, long unclaimed, Instant oldestOpenedAt, long oldestAgeSeconds) {}

  private final CaseRepository cases;
  private final Clock clock;

  public QueueApi(CaseRepository cases, Clock clock) {
    this.cases = cases;
    this.clock = clock;
  }

  @GET
  @RolesAllowed(Roles.REVIEWER)
  @Operation(summary = "Open cases, unclaimed cases and the oldest open case per queue")
  public List<QueueView> queues() {
    Instant now = Instant.now(clock);
    return cases.queueStats(now).stream()
        .map(
            (QueueStats s) ->
                new QueueView(
                    s.queue().name(),
                    s.open(),
                    s.unclaimed(),
                    s.oldestOpenedAt(),
                    s.oldestAge(now).toSeconds()))
        .toList();
  }
}
