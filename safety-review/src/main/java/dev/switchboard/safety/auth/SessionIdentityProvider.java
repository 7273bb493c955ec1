package dev.switchboard.safety.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a session cookie into a security identity with the account's roles. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionCookieRequest> {
  public static final String IDENTITY_ATTRIBUTE = "switchboard.reviewer";

  private final SessionService sessions;

  public SessionIdentityProvider(SessionService sessions) {
    this.sessions = sessions;
  }

  @Override
  public Class<SessionCookieRequest> getRequestType() {
    return SessionCookieRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      SessionCookieRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () -> {
          ReviewerIdentity reviewer =
              sessions.resolve(request.token()).orElseThrow(AuthenticationFailedException::new);
          return QuarkusSecurityIdentity.builder()
              .setPrincipal(new QuarkusPrincipal(reviewer.username()))
              .addRoles(reviewer.role().grants())
              .addAttribute(IDENTITY_ATTRIBUTE, reviewer)
              .build();
        });
  }
}
