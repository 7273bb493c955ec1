package dev.switchboard.safety.auth;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Maps the roles an OpenID Connect provider put in a token to ours. The configured names for
 * reviewer, lead and admin are matched exactly; a user holding several gets the highest.
 *
 * @param reviewer the provider's name for our reviewer role
 * @param lead the provider's name for our lead role
 * @param admin the provider's name for our admin role
 */
public record ProviderRoles(String reviewer, String lead, String admin) {

  /** Our highest role among the provider's names, or empty when none of them is ours. */
  public Optional<Role> highest(Collection<String> providerNames) {
    if (providerNames.contains(admin)) {
      return Optional.of(Role.ADMIN);
    }
    if (providerNames.contains(lead)) {
      return Optional.of(Role.LEAD);
    }
    if (providerNames.contains(reviewer)) {
      return Optional.of(Role.REVIEWER);
    }
    return Optional.empty();
  }

  /**
   * The names found at a claim path such as {@code groups} or {@code realm_access/roles}: an array
   * of strings, or one string. Anything else (missing claim, numbers, objects) yields no names.
   */
  public static List<String> namesAt(JsonWebToken token, String claimPath) {
    String[] segments = claimPath.split("/");
    Object value = token.getClaim(segments[0]);
    for (int i = 1; i < segments.length && value != null; i++) {
      value = value instanceof JsonObject object ? object.get(segments[i]) : null;
    }
    List<String> names = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> addString(names, v));
    } else if (value instanceof Collection<?> collection) {
      collection.forEach(v -> addString(names, v));
    } else {
      addString(names, value);
    }
    return names;
  }

  private static void addString(List<String> names, Object value) {
    if (value instanceof JsonString s) {
      names.add(s.getString());
    } else if (value instanceof String s) {
      names.add(s);
    } else if (value instanceof JsonValue) {
      // Numbers, booleans, objects: not role names.
    }
  }
}
