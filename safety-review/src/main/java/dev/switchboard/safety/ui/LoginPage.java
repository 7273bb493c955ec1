package dev.switchboard.safety.ui;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.CsrfGuard;
import dev.switchboard.safety.auth.LoginThrottle;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.auth.Roles;
import dev.switchboard.safety.auth.SessionAuthenticationMechanism;
import dev.switchboard.safety.auth.SessionService;
import dev.switchboard.safety.config.SafetyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;

/**
 * Log in and out. The login form is protected by a double-submit CSRF cookie, and password guessing
 * by a {@link LoginThrottle} per account name and per client address (429 with Retry-After).
 */
@Path("/")
public class LoginPage {
  static final String LOGIN_CSRF_COOKIE = "sb_login_csrf";

  private final Template login;
  private final Template sso;
  private final AccountService accounts;
  private final SessionService sessions;
  private final SessionCookies cookies;
  private final SecurityIdentity identity;
  private final AuditLog audit;
  private final SafetyConfig config;
  private final LoginThrottle throttle;
  private final MeterRegistry registry;

  public LoginPage(
      @Location("login.html") Template login,
      @Location("sso.html") Template sso,
      AccountService accounts,
      SessionService sessions,
      SessionCookies cookies,
      SecurityIdentity identity,
      AuditLog audit,
      SafetyConfig config,
      LoginThrottle throttle,
      MeterRegistry registry) {
    this.login = login;
    this.sso = sso;
    this.accounts = accounts;
    this.sessions = sessions;
    this.cookies = cookies;
    this.identity = identity;
    this.audit = audit;
    this.config = config;
    this.throttle = throttle;
    this.registry = registry;
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
      @CookieParam(LOGIN_CSRF_COOKIE) String csrfCookie,
      @Context HttpServerRequest request) {
    if (config.review().oidc().enabled()) {
      // With single sign-on there is one way in; local passwords (the bootstrap admin's too) are
      // not checked at all.
      audit.append("anonymous", "login.refused", "account:" + safeName(username), "password-off");
      return singleSignOnPage(
              "Password log-in is switched off here. Sign in with your organisation account.",
              Response.Status.FORBIDDEN)
          .build();
    }
    if (!CsrfGuard.same(csrfCookie, csrf)) {
      return loginPage("Your login form expired. Please try again.", Response.Status.FORBIDDEN);
    }
    String address = clientAddress(request);
    if (throttle.check(username, address) instanceof LoginThrottle.Refused refused) {
      // Refused before the password is checked: guesses during a lockout learn nothing.
      registry
          .counter("safety.login.throttled", "by", refused.byAddress() ? "address" : "account")
          .increment();
      long minutes = Math.max(1, (refused.retryAfter().toSeconds() + 59) / 60);
      return loginPageBuilder(
              "Too many failed log-ins. Try again in "
                  + minutes
                  + (minutes == 1 ? " minute." : " minutes."),
              Response.Status.TOO_MANY_REQUESTS)
          .header("Retry-After", refused.retryAfter().toSeconds())
          .build();
    }
    Optional<Role> role = accounts.authenticate(username, password);
    if (role.isEmpty()) {
      audit.append("anonymous", "login.failed", "account:" + safeName(username), "");
      LoginThrottle.NewLocks locks = throttle.recordFailure(username, address);
      if (locks.account()) {
        audit.append("system", "login.locked", "account:" + safeName(username), "scope=account");
      }
      if (locks.address()) {
        audit.append("system", "login.locked", "address:" + address, "scope=address");
      }
      return loginPage("Wrong user name or password.", Response.Status.UNAUTHORIZED);
    }
    throttle.recordSuccess(username);
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
    return loginPageBuilder(error, status).build();
  }

  /** With single sign-on on, the front door offers the provider instead of a password form. */
  private Response.ResponseBuilder singleSignOnPage(String error, Response.Status status) {
    return Response.status(status)
        .entity(
            sso.data("title", "Reviewer sign-in")
                .data("error", error)
                .data("signInLink", SingleSignOnPage.PATH))
        .type(MediaType.TEXT_HTML);
  }

  private Response.ResponseBuilder loginPageBuilder(String error, Response.Status status) {
    if (config.review().oidc().enabled()) {
      return singleSignOnPage(error, status);
    }
    String csrf = sessions.randomToken();
    return Response.status(status)
        .entity(login.data("csrf", csrf).data("error", error))
        .type(MediaType.TEXT_HTML)
        .cookie(cookies.create(LOGIN_CSRF_COOKIE, csrf, 3600));
  }

  /**
   * The client's address as Vert.x sees it: the peer, or the forwarded client when the operator has
   * enabled {@code quarkus.http.proxy.proxy-address-forwarding} for a trusted proxy.
   */
  private static String clientAddress(HttpServerRequest request) {
    if (request == null || request.remoteAddress() == null) {
      return null;
    }
    String host = request.remoteAddress().hostAddress();
    return host != null ? host : request.remoteAddress().host();
  }

  /** User names typed at the login form are untrusted; keep the audit trail free of junk/PII. */
  private static String safeName(String username) {
    return username != null && username.matches("[a-z0-9._-]{2,40}") ? username : "(invalid)";
  }
}
