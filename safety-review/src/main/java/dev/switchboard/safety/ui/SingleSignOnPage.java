package dev.switchboard.safety.ui;

import dev.switchboard.safety.audit.AuditLog;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.ProviderRoles;
import dev.switchboard.safety.auth.Role;
import dev.switchboard.safety.auth.SessionAuthenticationMechanism;
import dev.switchboard.safety.auth.SessionService;
import dev.switchboard.safety.config.SafetyConfig;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The end of an OpenID Connect sign-in. Quarkus's authorization code flow guards this one path (see
 * {@code quarkus.http.auth.permission.sso-sign-in}); once the provider has authenticated the user,
 * this page maps the ID token's roles to ours, records the account, audits the sign-in and opens
 * the same server-side session as the embedded login, so CSRF tokens, cookies and role checks work
 * unchanged. The provider's own session cookie is dropped: ours is the only session.
 */
@Path("/login/sso")
public class SingleSignOnPage {
  public static final String PATH = "/login/sso";

  /** Names we accept: the audit chain and case claims show them. */
  private static final Pattern USABLE_NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

  private final Template sso;
  private final SecurityIdentity identity;
  private final OidcSession oidcSession;
  private final AccountService accounts;
  private final SessionService sessions;
  private final SessionCookies cookies;
  private final AuditLog audit;
  private final SafetyConfig config;

  public SingleSignOnPage(
      @Location("sso.html") Template sso,
      SecurityIdentity identity,
      OidcSession oidcSession,
      AccountService accounts,
      SessionService sessions,
      SessionCookies cookies,
      AuditLog audit,
      SafetyConfig config) {
    this.sso = sso;
    this.identity = identity;
    this.oidcSession = oidcSession;
    this.accounts = accounts;
    this.sessions = sessions;
    this.cookies = cookies;
    this.audit = audit;
    this.config = config;
  }

  /**
   * Permitted here because the HTTP permission in front of this path already demanded a completed
   * code flow; with single sign-on off the path does not exist.
   */
  @GET
  @PermitAll
  @Produces(MediaType.TEXT_HTML)
  public Response signedIn() {
    SafetyConfig.Oidc settings = config.review().oidc();
    if (!settings.enabled()) {
      throw new NotFoundException();
    }
    if (!(identity.getPrincipal() instanceof JsonWebToken idToken)) {
      // Only reachable if the permission in application.properties was removed.
      return refused(
          "The sign-in did not complete. Please try again.", Response.Status.UNAUTHORIZED);
    }
    dropProviderSession();
    Object nameClaim = idToken.getClaim(settings.usernameClaim());
    String username = nameClaim == null ? null : nameClaim.toString().replace("\"", "");
    if (username == null || !USABLE_NAME.matcher(username).matches()) {
      audit.append("anonymous", "login.refused", "account:(invalid)", "via=oidc;reason=name");
      return refused(
          "Your account has no usable "
              + settings.usernameClaim()
              + " (letters, digits and . _ @ + - only). Ask your identity administrator.",
          Response.Status.FORBIDDEN);
    }
    ProviderRoles mapping =
        new ProviderRoles(settings.reviewerRole(), settings.leadRole(), settings.adminRole());
    Optional<Role> role = mapping.highest(ProviderRoles.namesAt(idToken, settings.roleClaim()));
    if (role.isEmpty()) {
      audit.append(username, "login.refused", "account:" + username, "via=oidc;reason=no-role");
      return refused(
          "You signed in as "
              + username
              + ", but your account has none of the safety review roles ("
              + settings.reviewerRole()
              + ", "
              + settings.leadRole()
              + ", "
              + settings.adminRole()
              + "). Ask your identity administrator for one.",
          Response.Status.FORBIDDEN);
    }
    if (!accounts.recordProviderSignIn(username, role.get())) {
      audit.append(username, "login.refused", "account:" + username, "via=oidc;reason=disabled");
      return refused(
          "Your reviewer account " + username + " is disabled here. Ask a safety review admin.",
          Response.Status.FORBIDDEN);
    }
    String token = sessions.open(username);
    audit.append(
        username, "login", "account:" + username, "role=" + role.get().dbName() + ";via=oidc");
    // A 200 page that moves on by itself rather than a redirect: the browser arrived here from the
    // provider's site, and a SameSite=Strict session cookie is only sent once a page of ours
    // starts the next navigation.
    return Response.ok(sso.data("title", "Signed in").data("continueTo", "/queues"))
        .type(MediaType.TEXT_HTML)
        .cookie(
            cookies.create(
                SessionAuthenticationMechanism.COOKIE,
                token,
                (int) config.review().sessionTtl().toSeconds()))
        .build();
  }

  private void dropProviderSession() {
    oidcSession.logout().await().indefinitely();
  }

  private Response refused(String message, Response.Status status) {
    return Response.status(status)
        .entity(sso.data("title", "Sign-in refused").data("error", message))
        .type(MediaType.TEXT_HTML)
        .build();
  }
}
