package dev.switchboard.safety.auth;

/** Role names for {@code @RolesAllowed}. */
public final class Roles {
  public static final String REVIEWER = "reviewer";
  public static final String LEAD = "lead";
  public static final String ADMIN = "admin";

  private Roles() {}
}
