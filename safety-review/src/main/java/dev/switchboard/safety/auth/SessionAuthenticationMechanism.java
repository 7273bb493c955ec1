package dev.switchboard.safety.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Authenticates reviewer UI requests by the session cookie. Browsers without a session are sent to
 * the login page; API clients get 401.
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {
  public static final String COOKIE = "sb_session";

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    Cookie cookie = context.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      return Uni.createFrom().optional(java.util.Optional.empty());
    }
    // An expired or unknown session is simply anonymous: public pages (login) still work and
    // protected ones answer with the challenge.
    return identityProviderManager
        .authenticate(new SessionCookieRequest(cookie.getValue()))
        .onFailure(AuthenticationFailedException.class)
        .recoverWithNull();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    if (context.normalizedPath().startsWith("/api/")) {
      return Uni.createFrom()
          .item(new ChallengeData(HttpResponseStatus.UNAUTHORIZED.code(), null, null));
    }
    return Uni.createFrom()
        .item(
            new ChallengeData(HttpResponseStatus.FOUND.code(), HttpHeaderNames.LOCATION, "/login"));
  }

  /**
   * Ahead of the OpenID Connect mechanism (priority 1001): our session is tried first, and an
   * unauthenticated page is sent to our login page, which offers single sign-on when it is on.
   */
  @Override
  public int getPriority() {
    return 2000;
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(SessionCookieRequest.class);
  }
}
