package dev.switchboard.safety.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** The session cookie a browser presented. */
public class SessionCookieRequest extends BaseAuthenticationRequest {
  private final String token;

  public SessionCookieRequest(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
