package dev.switchboard.safety.ui;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.CsrfGuard;
import dev.switchboard.safety.auth.ReviewerIdentity;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.cases.CaseReader;
import dev.switchboard.safety.cases.CaseService;
import dev.switchboard.safety.cases.CaseView;
import dev.switchboard.safety.cases.Decision;
import dev.switchboard.safety.cases.EnforcementChoice;
import dev.switchboard.safety.cases.Queue;
import dev.switchboard.safety.persistence.ReviewCaseEntity;
import dev.switchboard.safety.wellness.ExposureTracker;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Claiming, reading, revealing and deciding a case. */
@Path("/cases")
@Produces(MediaType.TEXT_HTML)
public class CasePage {
  static final int MIN_JUSTIFICATION = 15;

  /** Categories a reviewer can record for a violation. */
  static final List<String> CATEGORIES =
      List.of(
          "harassment",
          "harassment/threatening",
          "hate",
          "hate/threatening",
          "illicit",
          "illicit/violent",
          "self-harm",
          "self-harm/intent",
          "self-harm/instructions",
          "sexual",
          "sexual/minors",
          "violence",
          "violence/graphic",
          "spam/fraud",
          "other");

  private final Template casePage;
  private final CaseService cases;
  private final CaseReader reader;
  private final ExposureTracker exposure;
  private final AuditLog audit;
  private final SecurityIdentity identity;

  public CasePage(
      @Location("case.html") Template casePage,
      CaseService cases,
      CaseReader reader,
      ExposureTracker exposure,
      AuditLog audit,
      SecurityIdentity identity) {
    this.casePage = casePage;
    this.cases = cases;
    this.reader = reader;
    this.exposure = exposure;
    this.audit = audit;
    this.identity = identity;
  }

  @POST
  @Path("next")
  @RolesAllowed(Roles.REVIEWER)
  public Response next(@FormParam(CsrfGuard.FIELD) String csrf, @FormParam("queue") String queue) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    Queue q = parseQueue(queue);
    if (q.leadsOnly() && me.role() == Role.REVIEWER) {
      throw new ForbiddenException("Only leads take escalated cases");
    }
    Optional<Long> claimed = cases.claimNext(q, me.username());
    return claimed
        .map(id -> Response.seeOther(URI.create("/cases/" + id)).build())
        .orElseGet(() -> Response.seeOther(URI.create("/queues?notice=empty")).build());
  }

  @GET
  @Path("{id}")
  @RolesAllowed(Roles.REVIEWER)
  public Response show(@PathParam("id") long id) {
    ReviewerIdentity me = CsrfGuard.reviewer(identity);
    ReviewCaseEntity c = mayView(me, id);
    audit.append(me.username(), "case.view", "case:" + id, "");
    int today =
        Queue.QA.name().equals(c.queue)
            ? exposure.today(me.username())
            : exposure.recordView(me.username());
    return render(me, id, false, today, null);
  }

  @POST
  @Path("{id}/reveal")
  @RolesAllowed(Roles.LEAD)
  public Response reveal(
      @PathParam("id") long id,
      @FormParam(CsrfGuard.FIELD) String csrf,
      @FormParam("justification") String justification) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    mayView(me, id);
    int today = exposure.today(me.username());
    String reason = justification == null ? "" : justification.strip();
    if (reason.length() < MIN_JUSTIFICATION) {
      return render(
          me,
          id,
          false,
          today,
          "Write a justification of at least " + MIN_JUSTIFICATION + " characters to reveal.");
    }
    audit.append(me.username(), "case.reveal", "case:" + id, "justification=" + reason);
    return render(me, id, true, today, null);
  }

  @POST
  @Path("{id}/decision")
  @RolesAllowed(Roles.REVIEWER)
  public Response decide(
      @PathParam("id") long id,
      @FormParam(CsrfGuard.FIELD) String csrf,
      @FormParam("decision") String decision,
      @FormParam("category") String category,
      @FormParam("enforcement") String enforcement,
      @FormParam("notes") String notes) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    Decision d = parse(Decision.class, decision);
    EnforcementChoice choice =
        enforcement == null || enforcement.isBlank()
            ? EnforcementChoice.NONE
            : parse(EnforcementChoice.class, enforcement);
    if (d == null
        || choice == null
        || (category != null && !category.isBlank() && !CATEGORIES.contains(category))) {
      return render(me, id, false, exposure.today(me.username()), "Choose a valid decision.");
    }
    CaseService.DecisionResult result =
        cases.decide(id, me.username(), me.role() != Role.REVIEWER, d, category, notes, choice);
    return switch (result) {
      case DECIDED, ESCALATED -> Response.seeOther(URI.create("/queues?notice=decided")).build();
      case NOT_YOURS -> Response.seeOther(URI.create("/queues?notice=claim-lost")).build();
      case ALREADY_CLOSED ->
          render(me, id, false, exposure.today(me.username()), "This case is already closed.");
      case INVALID ->
          render(
              me,
              id,
              false,
              exposure.today(me.username()),
              "A violation needs a category; enforcement needs a violation (except unblock).");
    };
  }

  @POST
  @Path("{id}/release")
  @RolesAllowed(Roles.REVIEWER)
  public Response release(@PathParam("id") long id, @FormParam(CsrfGuard.FIELD) String csrf) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    cases.release(id, me.username());
    return Response.seeOther(URI.create("/queues?notice=released")).build();
  }

  /** Reviewers see the cases they hold; leads and admins see any case. */
  private ReviewCaseEntity mayView(ReviewerIdentity me, long id) {
    ReviewCaseEntity c = reader.find(id).orElseThrow(NotFoundException::new);
    if (me.role() == Role.REVIEWER && !me.username().equals(c.claimedBy)) {
      throw new ForbiddenException("You do not hold this case");
    }
    return c;
  }

  private Response render(
      ReviewerIdentity me, long id, boolean reveal, int exposureToday, String error) {
    CaseView view = reader.view(id, reveal).orElseThrow(NotFoundException::new);
    boolean canDecide =
        "OPEN".equals(view.status())
            && (me.role() != Role.REVIEWER || me.username().equals(view.claimedBy()));
    return Response.status(error == null ? 200 : 400)
        .entity(
            casePage
                .data("me", PageUser.of(me, exposureToday))
                .data("c", view)
                .data("canDecide", canDecide)
                .data("canReveal", me.role() != Role.REVIEWER)
                .data("categories", CATEGORIES)
                .data("choices", Arrays.stream(EnforcementChoice.values()).map(Enum::name).toList())
                .data("error", error)
                .data("minJustification", MIN_JUSTIFICATION))
        .type(MediaType.TEXT_HTML)
        .build();
  }

  private static Queue parseQueue(String queue) {
    Queue q = parse(Queue.class, queue);
    if (q == null) {
      throw new jakarta.ws.rs.BadRequestException("Unknown queue");
    }
    return q;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
