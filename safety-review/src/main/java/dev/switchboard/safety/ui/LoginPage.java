package dev.switchboard.safety.ui;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.CsrfGuard;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.auth.SessionAuthenticationMechanism;
import dev.switchboard.safety.auth.SessionService;
import dev.switchboard.safety.config.SafetyConfig;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;

/** Log in and out. The login form is protected by a double-submit CSRF cookie. */
@Path("/")
public class LoginPage {
  static final String LOGIN_CSRF_COOKIE = "sb_login_csrf";

  private final Template login;
  private final AccountService accounts;
  private final SessionService sessions;
  private final SessionCookies cookies;
  private final SecurityIdentity identity;
  private final AuditLog audit;
  private final SafetyConfig config;

  public LoginPage(
      @Location("login.html") Template login,
      AccountService accounts,
      SessionService sessions,
      SessionCookies cookies,
      SecurityIdentity identity,
      AuditLog audit,
      SafetyConfig config) {
    this.login = login;
    this.accounts = accounts;
    this.sessions = sessions;
    this.cookies = cookies;
    this.identity = identity;
    this.audit = audit;
    this.config = config;
  }

  /** The UI's front door: the login page, or the queues when already logged in. */
  @GET
  @PermitAll
  @Produces(MediaType.TEXT_HTML)
  public Response home() {
    if (!identity.isAnonymous()) {
      return Response.seeOther(URI.create("/queues")).build();
    }
    return loginPage(null, Response.Status.OK);
  }

  @GET
  @Path("login")
  @PermitAll
  @Produces(MediaType.TEXT_HTML)
  public Response loginForm() {
    return loginPage(null, Response.Status.OK);
  }

  @POST
  @Path("login")
  @PermitAll
  @Produces(MediaType.TEXT_HTML)
  public Response login(
      @FormParam("username") String username,
      @FormParam("password") String password,
      @FormParam(CsrfGuard.FIELD) String csrf,
      @CookieParam(LOGIN_CSRF_COOKIE) String csrfCookie) {
    if (!CsrfGuard.same(csrfCookie, csrf)) {
      return loginPage("Your login form expired. Please try again.", Response.Status.FORBIDDEN);
    }
    Optional<Role> role = accounts.authenticate(username, password);
    if (role.isEmpty()) {
      audit.append("anonymous", "login.failed", "account:" + safeName(username), "");
      return loginPage("Wrong user name or password.", Response.Status.UNAUTHORIZED);
    }
    String token = sessions.open(username);
    audit.append(username, "login", "account:" + username, "role=" + role.get().dbName());
    return Response.seeOther(URI.create("/queues"))
        .cookie(
            cookies.create(
                SessionAuthenticationMechanism.COOKIE,
                token,
                (int) config.review().sessionTtl().toSeconds()),
            cookies.expire(LOGIN_CSRF_COOKIE))
        .build();
  }

  @POST
  @Path("logout")
  @RolesAllowed(Roles.REVIEWER)
  public Response logout(
      @FormParam(CsrfGuard.FIELD) String csrf,
      @CookieParam(SessionAuthenticationMechanism.COOKIE) String session) {
    CsrfGuard.require(identity, csrf);
    sessions.close(session);
    return Response.seeOther(URI.create("/login"))
        .cookie(cookies.expire(SessionAuthenticationMechanism.COOKIE))
        .build();
  }

  private Response loginPage(String error, Response.Status status) {
    String csrf = sessions.randomToken();
    return Response.status(status)
        .entity(login.data("csrf", csrf).data("error", error))
        .type(MediaType.TEXT_HTML)
        .cookie(cookies.create(LOGIN_CSRF_COOKIE, csrf, 3600))
        .build();
  }

  /** User names typed at the login form are untrusted; keep the audit trail free of junk/PII. */
  private static String safeName(String username) {
    return username != null && username.matches("[a-z0-9._-]{2,40}") ? username : "(invalid)";
  }
}
