package dev.switchboard.safety.auth;

import java.util.Locale;
import java.util.Set;

/** What a person in the reviewer UI may do. Each role includes the ones below it. */
public enum Role {
  REVIEWER(Set.of(Roles.REVIEWER)),
  LEAD(Set.of(Roles.REVIEWER, Roles.LEAD)),
  ADMIN(Set.of(Roles.REVIEWER, Roles.LEAD, Roles.ADMIN));

  private final Set<String> grants;

  Role(Set<String> grants) {
    this.grants = grants;
  }

  /** The security role names this role holds, as used in {@code @RolesAllowed}. */
  public Set<String> grants() {
    return grants;
  }

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
