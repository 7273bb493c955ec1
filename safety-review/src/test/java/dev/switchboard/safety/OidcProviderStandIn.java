package dev.switchboard.safety;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/**
 * STAND-IN for an OpenID Connect provider (a service we do not run) at its HTTP boundary, on
 * WireMock with the payloads of OpenID Connect Discovery 1.0 (provider metadata), RFC 7517 (JWKS)
 * and OpenID Connect Core 1.0 section 3.1.3.3 (token response with an RS256-signed ID token).
 *
 * <p>Its "login page" is the authorization endpoint, with a link per user; a person signs in by
 * following one, i.e. requesting {@code /realms/sb/login?user=NAME&state=...&redirect_uri=...},
 * which redirects back with {@code code=code-NAME} exactly as a provider does after a successful
 * login. The token endpoint trades that code for NAME's tokens, whose {@code groups} claim holds
 * the user's roles: {@code lee} (lead), {@code rita} and {@code dora} (reviewers), {@code adam}
 * (admin), {@code nora} (only {@code staff}, none of ours). The stand-in also switches single
 * sign-on on for the application under test.
 */
public class OidcProviderStandIn implements QuarkusTestResourceLifecycleManager {
  static final String CLIENT_ID = "switchboard-review";
  static final String CLIENT_SECRET = "stand-in-client-secret";
  static final String REALM = "/realms/sb";

  static final Map<String, List<String>> USERS =
      Map.of(
          "lee", List.of("staff", "switchboard-lead"),
          "rita", List.of("switchboard-reviewer"),
          "dora", List.of("switchboard-reviewer"),
          "adam", List.of("switchboard-admin"),
          "nora", List.of("staff"));

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
      server.start();
      String issuer = "http://127.0.0.1:" + server.port() + REALM;
      RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
      key.setKeyId("stand-in-key-1");
      server.stubFor(
          get(urlPathEqualTo(REALM + "/.well-known/openid-configuration"))
              .willReturn(
                  okJson(
                      """
                      {"issuer":"%1$s",
                       "authorization_endpoint":"%1$s/protocol/openid-connect/auth",
                       "token_endpoint":"%1$s/protocol/openid-connect/token",
                       "jwks_uri":"%1$s/protocol/openid-connect/certs",
                       "response_types_supported":["code"],
                       "subject_types_supported":["public"],
                       "id_token_signing_alg_values_supported":["RS256"],
                       "scopes_supported":["openid","profile"],
                       "token_endpoint_auth_methods_supported":["client_secret_basic"]}
                      """
                          .formatted(issuer))));
      server.stubFor(
          get(urlPathEqualTo(REALM + "/protocol/openid-connect/certs"))
              .willReturn(okJson(new JsonWebKeySet(key).toJson())));
      server.stubFor(
          get(urlPathEqualTo(REALM + "/protocol/openid-connect/auth"))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withHeader("Content-Type", "text/html")
                      .withBody(loginPage())
                      .withTransformers("response-template")));
      server.stubFor(
          get(urlPathEqualTo(REALM + "/login"))
              .willReturn(
                  aResponse()
                      .withStatus(302)
                      .withHeader(
                          "Location",
                          "{{{request.query.redirect_uri}}}?code=code-{{{request.query.user}}}"
                              + "&state={{{request.query.state}}}")
                      .withTransformers("response-template")));
      for (Map.Entry<String, List<String>> user : USERS.entrySet()) {
        String idToken = idToken(key, issuer, user.getKey(), user.getValue());
        server.stubFor(
            post(urlPathEqualTo(REALM + "/protocol/openid-connect/token"))
                .withRequestBody(matching(".*\\bcode=code-" + user.getKey() + "(&.*)?"))
                .willReturn(
                    okJson(
                        """
                        {"access_token":"%1$s","token_type":"Bearer","expires_in":3600,
                         "id_token":"%1$s"}
                        """
                            .formatted(idToken))));
      }
      return Map.of(
          "switchboard.review.oidc.enabled", "true",
          "quarkus.oidc.auth-server-url", issuer,
          "quarkus.oidc.client-id", CLIENT_ID,
          "quarkus.oidc.credentials.secret", CLIENT_SECRET);
    } catch (Exception e) {
      throw new IllegalStateException("OIDC provider stand-in did not start", e);
    }
  }

  /** The provider's login page: one link per user, carrying the request's state back. */
  private static String loginPage() {
    StringBuilder page = new StringBuilder("<html><body><h1>Stand-in provider login</h1>");
    for (String user : USERS.keySet().stream().sorted().toList()) {
      page.append("<p><a id=\"as-")
          .append(user)
          .append("\" href=\"")
          .append(REALM)
          .append("/login?user=")
          .append(user)
          .append("&amp;state={{urlEncode request.query.state}}")
          .append("&amp;redirect_uri={{urlEncode request.query.redirect_uri}}\">Sign in as ")
          .append(user)
          .append("</a></p>");
    }
    return page.append("</body></html>").toString();
  }

  private static String idToken(RsaJsonWebKey key, String issuer, String user, List<String> groups)
      throws Exception {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(CLIENT_ID);
    claims.setSubject("sub-" + user);
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(60);
    claims.setClaim("preferred_username", user);
    claims.setStringListClaim("groups", groups);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key.getPrivateKey());
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return jws.getCompactSerialization();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
