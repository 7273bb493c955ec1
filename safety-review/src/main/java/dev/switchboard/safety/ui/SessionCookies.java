package dev.switchboard.safety.ui;

import dev.switchboard.safety.config.SafetyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/** Cookies of the reviewer UI: HttpOnly, SameSite=Strict and (by default) Secure. */
@ApplicationScoped
public class SessionCookies {
  private final SafetyConfig config;

  public SessionCookies(SafetyConfig config) {
    this.config = config;
  }

  public NewCookie create(String name, String value, int maxAgeSeconds) {
    return new NewCookie.Builder(name)
        .value(value)
        .path("/")
        .httpOnly(true)
        .secure(config.review().secureCookies())
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(maxAgeSeconds)
        .build();
  }

  public NewCookie expire(String name) {
    return create(name, "", 0);
  }
}
