package dev.switchboard.safety.auth;

/** Who is logged in, with the CSRF token of their session. */
public record ReviewerIdentity(String username, Role role, String csrfToken) {}
