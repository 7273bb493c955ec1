package dev.switchboard.safety.ui;

import dev.switchboard.safety.auth.CsrfGuard;
import dev.switchboard.safety.auth.ReviewerIdentity;
import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.cases.QueueStats;
import dev.switchboard.safety.persistence.CaseRepository;
import dev.switchboard.safety.wellness.ExposureTracker;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The queue overview: counts, unclaimed, oldest age, and a "next case" button per queue. */
@Path("/queues")
public class QueuesPage {
  /** One row of the queue table. */
  public record QueueRow(String name, long open, long unclaimed, String oldest) {}

  private final Template queues;
  private final CaseRepository cases;
  private final ExposureTracker exposure;
  private final SecurityIdentity identity;
  private final Clock clock;

  public QueuesPage(
      @Location("queues.html") Template queues,
      CaseRepository cases,
      ExposureTracker exposure,
      SecurityIdentity identity,
      Clock clock) {
    this.queues = queues;
    this.cases = cases;
    this.exposure = exposure;
    this.identity = identity;
    this.clock = clock;
  }

  @GET
  @RolesAllowed(Roles.REVIEWER)
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance show(@QueryParam("notice") String notice) {
    ReviewerIdentity me = CsrfGuard.reviewer(identity);
    Instant now = Instant.now(clock);
    int today = exposure.today(me.username());
    List<QueueRow> rows =
        cases.queueStats(now).stream()
            .map(
                (QueueStats s) ->
                    new QueueRow(s.queue().name(), s.open(), s.unclaimed(), s.oldestAgeText(now)))
            .toList();
    return queues
        .data("me", PageUser.of(me, today))
        .data("rows", rows)
        .data("overLimit", today >= exposure.softLimit())
        .data("softLimit", exposure.softLimit())
        .data("notice", Notices.text(notice));
  }
}
