package dev.switchboard.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Single sign-on switched on, against the OpenID Connect provider stand-in: each test walks the
 * authorization code flow the way a browser does (redirects and cookies by hand, over plain HTTP)
 * and then uses the reviewer UI with the session the sign-in opened.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
@WithTestResource(OidcProviderStandIn.class)
class SingleSignOnTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TestHTTPResource("/")
  URI app;

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void leadSignsInAtTheProviderSeesTheQueuesAndOpensALeadPage() throws Exception {
    Browser lee = new Browser();
    HttpResponse<String> signedIn = lee.signIn("lee");

    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(signedIn.body()).contains("url=/queues");
    String sessionCookie =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("sb_session="))
            .findFirst()
            .orElseThrow();
    assertThat(sessionCookie).contains("HttpOnly").contains("Secure").contains("SameSite=Strict");
    assertThat(lee.cookies).doesNotContainKey("q_session");

    HttpResponse<String> queues = lee.get("/queues");
    assertThat(queues.statusCode()).isEqualTo(200);
    assertThat(queues.body()).contains("URGENT").contains("lee (lead)");
    assertThat(lee.get("/api/stats/reviewers").statusCode()).isEqualTo(200);
    assertThat(lee.get("/admin/users").statusCode()).isEqualTo(403);

    // Forms still demand the session's CSRF token.
    assertThat(lee.post("/logout", "csrf=wrong").statusCode()).isEqualTo(403);
    assertThat(lee.get("/queues").statusCode()).isEqualTo(200);

    // The sign-in is in the audit chain under the provider's preferred_username.
    Browser adam = new Browser();
    assertThat(adam.signIn("adam").statusCode()).isEqualTo(200);
    HttpResponse<String> audit = adam.get("/admin/audit");
    assertThat(audit.statusCode()).isEqualTo(200);
    assertThat(audit.body()).contains("account:lee").contains("role=lead;via=oidc");
  }

  @Test
  void reviewerIsRefusedOnAdminAndLeadUrls() throws Exception {
    Browser rita = new Browser();
    assertThat(rita.signIn("rita").statusCode()).isEqualTo(200);

    assertThat(rita.get("/queues").statusCode()).isEqualTo(200);
    assertThat(rita.get("/admin/users").statusCode()).isEqualTo(403);
    assertThat(rita.get("/admin/thresholds").statusCode()).isEqualTo(403);
    assertThat(rita.get("/api/stats/reviewers").statusCode()).isEqualTo(403);
  }

  @Test
  void anAdminCanStillShutOutAProviderUser() throws Exception {
    Browser dora = new Browser();
    assertThat(dora.signIn("dora").statusCode()).isEqualTo(200);
    assertThat(dora.get("/queues").statusCode()).isEqualTo(200);

    Browser adam = new Browser();
    assertThat(adam.signIn("adam").statusCode()).isEqualTo(200);
    HttpResponse<String> users = adam.get("/admin/users");
    Matcher csrf = CSRF.matcher(users.body());
    assertThat(csrf.find()).isTrue();
    assertThat(
            adam.post("/admin/users/disable", "username=dora&csrf=" + csrf.group(1)).statusCode())
        .isEqualTo(303);

    assertThat(dora.get("/queues").statusCode()).isEqualTo(302);
    HttpResponse<String> again = new Browser().signIn("dora");
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.body()).contains("is disabled here");
  }

  @Test
  void userWithoutOurRolesGets403WithAClearPageAndNoSession() throws Exception {
    Browser nora = new Browser();
    HttpResponse<String> refused = nora.signIn("nora");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body())
        .contains("You signed in as nora")
        .contains("none of the safety review roles");
    assertThat(nora.cookies).doesNotContainKey("sb_session");
    HttpResponse<String> queues = nora.get("/queues");
    assertThat(queues.statusCode()).isEqualTo(302);
    assertThat(queues.headers().firstValue("Location").orElseThrow()).endsWith("/login");
  }

  @Test
  void embeddedPasswordLoginIsRefused() throws Exception {
    Browser visitor = new Browser();
    HttpResponse<String> page = visitor.get("/login");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).doesNotContain("type=\"password\"").contains("href=\"/login/sso\"");

    // Even the bootstrap admin's right password, with a well-formed CSRF pair, gets nowhere.
    visitor.cookies.put("sb_login_csrf", "pair-0123456789");
    HttpResponse<String> login =
        visitor.post(
            "/login", "username=admin&password=test-admin-password-0001&csrf=pair-0123456789");
    assertThat(login.statusCode()).isEqualTo(403);
    assertThat(login.body()).contains("Password log-in is switched off");
    assertThat(visitor.cookies).doesNotContainKey("sb_session");
  }

  @Test
  void pagesWithoutSessionStillGoToOurLoginPageAndApiAnswers401() throws Exception {
    Browser visitor = new Browser();
    HttpResponse<String> queues = visitor.get("/queues");
    assertThat(queues.statusCode()).isEqualTo(302);
    assertThat(queues.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    assertThat(visitor.get("/api/queues").statusCode()).isEqualTo(401);
  }

  /**
   * Real Chromium across two sites (the provider on 127.0.0.1, the UI on localhost): the session
   * cookie is SameSite=Strict, so this proves the sign-in really lands on the queues rather than
   * bouncing back to the login page after the cross-site return from the provider.
   */
  @Test
  void leadSignsInWithRealChromiumAcrossSites() {
    ChromeDriver chromium = dev.switchboard.safety.Browser.start();
    try {
      chromium.get(app.resolve("/queues").toString());
      chromium.findElement(By.id("sso-sign-in")).click();
      WebDriverWait wait = new WebDriverWait(chromium, Duration.ofSeconds(30));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("as-lee"))).click();
      wait.until(ExpectedConditions.urlMatches(".*/queues$"));
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "lee (lead)"));
      assertThat(chromium.getPageSource()).contains("URGENT");
    } finally {
      chromium.quit();
    }
  }

  /** A browser's cookie jar and redirect handling, enough for the code flow. */
  private final class Browser {
    final Map<String, String> cookies = new LinkedHashMap<>();

    /** From our sign-in link through the provider's login and back; the last response. */
    HttpResponse<String> signIn(String user) throws Exception {
      HttpResponse<String> start = get("/login/sso");
      assertThat(start.statusCode()).isEqualTo(302);
      URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
      Map<String, String> query = query(authorize);
      assertThat(authorize.getPath()).endsWith("/protocol/openid-connect/auth");
      assertThat(query)
          .containsEntry("client_id", OidcProviderStandIn.CLIENT_ID)
          .containsEntry("response_type", "code");
      assertThat(send(HttpRequest.newBuilder(authorize).GET()).statusCode()).isEqualTo(200);

      String realm = authorize.toString().substring(0, authorize.toString().indexOf("/protocol/"));
      URI login =
          URI.create(
              realm
                  + "/login?user="
                  + user
                  + "&state="
                  + encode(query.get("state"))
                  + "&redirect_uri="
                  + encode(query.get("redirect_uri")));
      HttpResponse<String> response = send(HttpRequest.newBuilder(login).GET());
      for (int hops = 0; hops < 5 && response.statusCode() / 100 == 3; hops++) {
        URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
        response = send(HttpRequest.newBuilder(next).GET());
      }
      return response;
    }

    HttpResponse<String> get(String path) throws Exception {
      return send(HttpRequest.newBuilder(app.resolve(path)).GET());
    }

    HttpResponse<String> post(String path, String form) throws Exception {
      return send(
          HttpRequest.newBuilder(app.resolve(path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      if (!cookies.isEmpty()) {
        StringBuilder header = new StringBuilder();
        cookies.forEach(
            (k, v) -> header.append(header.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        request.header("Cookie", header.toString());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String setCookie : response.headers().allValues("Set-Cookie")) {
        String pair = setCookie.split(";", 2)[0];
        String name = pair.substring(0, pair.indexOf('='));
        String value = pair.substring(pair.indexOf('=') + 1);
        boolean expired = value.isEmpty() || setCookie.toLowerCase().contains("max-age=0");
        if (expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return response;
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
