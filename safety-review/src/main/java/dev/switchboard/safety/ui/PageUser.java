package dev.switchboard.safety.ui;

import dev.switchboard.safety.auth.ReviewerIdentity;
import dev.switchboard.safety.auth.Role;

/** What every page shows about the logged-in reviewer. */
public record PageUser(
    String username, String roleName, boolean lead, boolean admin, String csrf, int exposureToday) {

  public static PageUser of(ReviewerIdentity reviewer, int exposureToday) {
    return new PageUser(
        reviewer.username(),
        reviewer.role().dbName(),
        reviewer.role() != Role.REVIEWER,
        reviewer.role() == Role.ADMIN,
        reviewer.csrfToken(),
        exposureToday);
  }
}
