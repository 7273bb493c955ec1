package dev.switchboard.safety.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/** Provider roles to ours, on tokens parsed by the same JWT library Quarkus OIDC uses. */
class ProviderRolesTest {
  private final ProviderRoles names = new ProviderRoles("sb-reviewer", "sb-lead", "sb-admin");

  private static JsonWebToken token(String json) throws Exception {
    return new DefaultJWTCallerPrincipal(JwtClaims.parse(json));
  }

  @Test
  void groupsClaimGivesTheHighestOfOurRoles() throws Exception {
    JsonWebToken token = token("{\"groups\":[\"staff\",\"sb-reviewer\",\"sb-lead\"]}");
    assertThat(names.highest(ProviderRoles.namesAt(token, "groups"))).contains(Role.LEAD);
  }

  @Test
  void nestedKeycloakRealmRolesAreFoundByPath() throws Exception {
    JsonWebToken token = token("{\"realm_access\":{\"roles\":[\"offline_access\",\"sb-admin\"]}}");
    assertThat(ProviderRoles.namesAt(token, "realm_access/roles"))
        .containsExactly("offline_access", "sb-admin");
    assertThat(names.highest(ProviderRoles.namesAt(token, "realm_access/roles")))
        .contains(Role.ADMIN);
  }

  @Test
  void aSingleStringClaimCounts() throws Exception {
    JsonWebToken token = token("{\"role\":\"sb-reviewer\"}");
    assertThat(names.highest(ProviderRoles.namesAt(token, "role"))).contains(Role.REVIEWER);
  }

  @Test
  void missingOrForeignRolesGiveNoRole() throws Exception {
    JsonWebToken token = token("{\"groups\":[\"staff\"],\"realm_access\":{\"roles\":7}}");
    assertThat(names.highest(ProviderRoles.namesAt(token, "groups"))).isEmpty();
    assertThat(ProviderRoles.namesAt(token, "realm_access/roles")).isEmpty();
    assertThat(ProviderRoles.namesAt(token, "nothing/here")).isEmpty();
    assertThat(names.highest(List.copyOf(Map.of("x", "sb-admin").keySet()))).isEmpty();
  }
}
