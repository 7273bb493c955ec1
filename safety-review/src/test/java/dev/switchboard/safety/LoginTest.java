package dev.switchboard.safety;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The reviewer UI's front door, over HTTP against the real database. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class LoginTest {

  @Test
  void rootShowsLoginPageAndBootstrapAdminCanLogIn() {
    LoginForm form = LoginForm.fetch("/");
    assertThat(form.page()).contains("Reviewer log in");

    Response ok = form.submit("admin", "test-admin-password-0001");
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.header("Location")).endsWith("/queues");
    String setCookie =
        ok.headers().getValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("sb_session="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("Secure").contains("SameSite=Strict");

    given()
        .redirects()
        .follow(false)
        .cookie("sb_session", ok.cookie("sb_session"))
        .when()
        .get("/queues")
        .then()
        .statusCode(200)
        .body(containsString("URGENT"), containsString("QA"));
  }

  @Test
  void wrongPasswordIsRefused() {
    Response r = LoginForm.fetch("/login").submit("admin", "wrong-password-123");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.asString()).contains("Wrong user name or password");
    assertThat(r.cookie("sb_session")).isNull();
  }

  @Test
  void loginWithoutCsrfTokenIsRefused() {
    Response r =
        given()
            .redirects()
            .follow(false)
            .formParam("username", "admin")
            .formParam("password", "test-admin-password-0001")
            .when()
            .post("/login");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.cookie("sb_session")).isNull();
  }

  @Test
  void singleSignOnIsOffByDefault() {
    assertThat(LoginForm.fetch("/login").page()).contains("type=\"password\"");
    given().redirects().follow(false).when().get("/login/sso").then().statusCode(404);
  }

  @Test
  void pagesWithoutSessionRedirectToLoginAndApiAnswers401() {
    given()
        .redirects()
        .follow(false)
        .when()
        .get("/queues")
        .then()
        .statusCode(302)
        .header("Location", containsString("/login"));
    given().redirects().follow(false).when().get("/api/queues").then().statusCode(401);
  }
}
