package dev.switchboard.safety;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The login form as a browser sees it: page, CSRF field and its cookie. */
public record LoginForm(String page, String csrf, String csrfCookie) {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  public static LoginForm fetch(String path) {
    Response r = given().redirects().follow(false).when().get(path);
    String page = r.asString();
    Matcher m = CSRF.matcher(page);
    if (!m.find()) {
      throw new AssertionError("No CSRF field on " + path + ": " + r.statusCode());
    }
    return new LoginForm(page, m.group(1), r.cookie("sb_login_csrf"));
  }

  public Response submit(String username, String password) {
    return given()
        .redirects()
        .follow(false)
        .cookie("sb_login_csrf", csrfCookie)
        .formParam("username", username)
        .formParam("password", password)
        .formParam("csrf", csrf)
        .when()
        .post("/login");
  }

  /** Logs in and returns the session cookie value. */
  public static String login(String username, String password) {
    Response r = fetch("/login").submit(username, password);
    if (r.statusCode() != 303) {
      throw new AssertionError("Login of " + username + " failed: " + r.statusCode());
    }
    return r.cookie("sb_session");
  }
}
