package dev.switchboard.safety.ui;

import dev.switchboard.safety.audit.AuditChain;
import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.CsrfGuard;
import dev.switchboard.safety.auth.ReviewerIdentity;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.classification.Thresholds;
import dev.switchboard.safety.retention.LegalHolds;
import dev.switchboard.safety.wellness.ExposureTracker;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Locale;

/** Admin pages: accounts, thresholds, legal holds and audit-chain verification. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class AdminPages {
  private final Template users;
  private final Template thresholdsPage;
  private final Template auditPage;
  private final AccountService accounts;
  private final Thresholds thresholds;
  private final LegalHolds holds;
  private final AuditLog audit;
  private final ExposureTracker exposure;
  private final SecurityIdentity identity;

  public AdminPages(
      @Location("users.html") Template users,
      @Location("thresholds.html") Template thresholdsPage,
      @Location("audit.html") Template auditPage,
      AccountService accounts,
      Thresholds thresholds,
      LegalHolds holds,
      AuditLog audit,
      ExposureTracker exposure,
      SecurityIdentity identity) {
    this.users = users;
    this.thresholdsPage = thresholdsPage;
    this.auditPage = auditPage;
    this.accounts = accounts;
    this.thresholds = thresholds;
    this.holds = holds;
    this.audit = audit;
    this.exposure = exposure;
    this.identity = identity;
  }

  @GET
  @Path("users")
  public Response usersPage() {
    return usersPage(null, 200);
  }

  @POST
  @Path("users")
  public Response createUser(
      @FormParam(CsrfGuard.FIELD) String csrf,
      @FormParam("username") String username,
      @FormParam("password") String password,
      @FormParam("role") String role) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    Role r;
    try {
      r = Role.valueOf(role == null ? "" : role.toUpperCase(Locale.ROOT));
      accounts.create(username, password, r);
    } catch (IllegalArgumentException e) {
      return usersPage(e.getMessage().startsWith("No enum") ? "Unknown role" : e.getMessage(), 400);
    }
    audit.append(me.username(), "account.create", "account:" + username, "role=" + r.dbName());
    return Response.seeOther(URI.create("/admin/users")).build();
  }

  @POST
  @Path("users/disable")
  public Response disableUser(
      @FormParam(CsrfGuard.FIELD) String csrf, @FormParam("username") String username) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    if (me.username().equals(username)) {
      return usersPage("You cannot disable your own account.", 400);
    }
    try {
      accounts.setDisabled(username, true);
    } catch (IllegalArgumentException e) {
      return usersPage(e.getMessage(), 400);
    }
    audit.append(me.username(), "account.disable", "account:" + username, "");
    return Response.seeOther(URI.create("/admin/users")).build();
  }

  @GET
  @Path("thresholds")
  public Response thresholdsPage() {
    return thresholdsPage(null, 200);
  }

  @POST
  @Path("thresholds")
  public Response setThreshold(
      @FormParam(CsrfGuard.FIELD) String csrf,
      @FormParam("category") String category,
      @FormParam("threshold") String threshold) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    double value;
    try {
      value = Double.parseDouble(threshold);
    } catch (NumberFormatException | NullPointerException e) {
      return thresholdsPage("Threshold must be a number between 0 and 1.", 400);
    }
    if (category == null || !category.matches("[a-z/_-]{2,60}") || value < 0 || value > 1) {
      return thresholdsPage("Category: lower-case name; threshold: 0..1.", 400);
    }
    thresholds.set(category, value, me.username());
    audit.append(me.username(), "threshold.set", "category:" + category, "threshold=" + value);
    return Response.seeOther(URI.create("/admin/thresholds")).build();
  }

  @POST
  @Path("holds")
  public Response addHold(
      @FormParam(CsrfGuard.FIELD) String csrf,
      @FormParam("subject") String subject,
      @FormParam("reason") String reason) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    if (subject == null
        || !subject.matches("[A-Za-z0-9:_-]{4,128}")
        || reason == null
        || reason.isBlank()) {
      return thresholdsPage("A hold needs a subject id and a reason.", 400);
    }
    holds.place(subject, reason.strip(), me.username());
    audit.append(me.username(), "hold.place", "subject:" + subject, "");
    return Response.seeOther(URI.create("/admin/thresholds")).build();
  }

  @POST
  @Path("holds/release")
  public Response releaseHold(
      @FormParam(CsrfGuard.FIELD) String csrf, @FormParam("subject") String subject) {
    ReviewerIdentity me = CsrfGuard.require(identity, csrf);
    holds.release(subject);
    audit.append(me.username(), "hold.release", "subject:" + subject, "");
    return Response.seeOther(URI.create("/admin/thresholds")).build();
  }

  @GET
  @Path("audit")
  public Response auditPage() {
    ReviewerIdentity me = CsrfGuard.reviewer(identity);
    AuditChain.Verification v = audit.verify();
    audit.append(me.username(), "audit.verify", "audit", "intact=" + v.intact());
    return Response.ok(
            auditPage.data("me", page(me)).data("v", v).data("entries", audit.latest(100)))
        .type(MediaType.TEXT_HTML)
        .build();
  }

  private Response usersPage(String error, int status) {
    ReviewerIdentity me = CsrfGuard.reviewer(identity);
    return Response.status(status)
        .entity(users.data("me", page(me)).data("accounts", accounts.all()).data("error", error))
        .type(MediaType.TEXT_HTML)
        .build();
  }

  private Response thresholdsPage(String error, int status) {
    ReviewerIdentity me = CsrfGuard.reviewer(identity);
    return Response.status(status)
        .entity(
            thresholdsPage
                .data("me", page(me))
                .data("thresholds", thresholds.effective().entrySet())
                .data("defaultThreshold", thresholds.defaultThreshold())
                .data("holds", holds.all())
                .data("error", error))
        .type(MediaType.TEXT_HTML)
        .build();
  }

  private PageUser page(ReviewerIdentity me) {
    return PageUser.of(me, exposure.today(me.username()));
  }
}
