package dev.switchboard.safety;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.safety.auth.AccountService;
import dev.switchboard.safety.auth.Role;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Password guessing at the login form is throttled per account name and per client address, over
 * HTTP against the real database. The profile trusts X-Forwarded-For from loopback (the setting an
 * operator uses behind a reverse proxy) so the test can speak from several client addresses.
 */
@QuarkusTest
@TestProfile(LoginLockoutTest.TightLimits.class)
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class LoginLockoutTest {
  private static final String PASSWORD = "lockout-test-password-1";

  /** Three failures lock an account, six an address; the lockout outlasts the test. */
  public static class TightLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "switchboard.review.login.max-failures-per-account", "3",
          "switchboard.review.login.max-failures-per-address", "6",
          "quarkus.http.proxy.proxy-address-forwarding", "true",
          "quarkus.http.proxy.allow-x-forwarded", "true",
          "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
    }
  }

  private final AccountService accounts;

  LoginLockoutTest(AccountService accounts) {
    this.accounts = accounts;
  }

  @Test
  void anAccountIsLockedAfterRepeatedWrongPasswordsFromAnyAddress() {
    String name = newReviewer();
    assertThat(attempt("192.0.2.1", name, "guess-number-one").statusCode()).isEqualTo(401);
    assertThat(attempt("192.0.2.2", name, "guess-number-two").statusCode()).isEqualTo(401);
    assertThat(attempt("192.0.2.3", name, "guess-number-three").statusCode()).isEqualTo(401);

    // Even the right password, from an address that never failed, is refused during the lockout.
    Response locked = attempt("192.0.2.4", name, PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.asString()).contains("Too many failed log-ins. Try again in 15 minutes.");
    assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(850, 900);
    assertThat(locked.cookie("sb_session")).isNull();

    // Another person at that address is not affected.
    String colleague = newReviewer();
    assertThat(attempt("192.0.2.4", colleague, PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void anAddressIsLockedAfterRepeatedFailuresAcrossAccountNames() {
    for (int i = 0; i < 6; i++) {
      assertThat(attempt("198.51.100.20", "guess-" + i, "password-guess-" + i).statusCode())
          .isEqualTo(401);
    }
    String name = newReviewer();
    Response locked = attempt("198.51.100.20", name, PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.cookie("sb_session")).isNull();

    // The same person from their own address logs in.
    assertThat(attempt("198.51.100.21", name, PASSWORD).statusCode()).isEqualTo(303);
  }

  private String newReviewer() {
    String name = "lock-" + UUID.randomUUID().toString().substring(0, 8);
    accounts.create(name, PASSWORD, Role.REVIEWER);
    return name;
  }

  /** A login through the form, as a browser behind a proxy that forwards {@code from}. */
  private static Response attempt(String from, String username, String password) {
    LoginForm form = LoginForm.fetch("/login");
    return given()
        .redirects()
        .follow(false)
        .header("X-Forwarded-For", from)
        .cookie("sb_login_csrf", form.csrfCookie())
        .formParam("username", username)
        .formParam("password", password)
        .formParam("csrf", form.csrf())
        .when()
        .post("/login");
  }
}
