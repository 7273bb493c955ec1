package dev.switchboard.whatsapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.switchboard.devstack.DevStackTestResource;
import dev.switchboard.whatsapp.support.GraphApiStandIn;
import dev.switchboard.whatsapp.support.SpeechToTextStandIn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(GraphApiStandIn.class)
@WithTestResource(SpeechToTextStandIn.class)
class WebhookVerificationTest {

  @Test
  void metaPresentingOurVerifyTokenGetsItsChallengeBack() {
    given()
        .queryParam("hub.mode", "subscribe")
        .queryParam("hub.verify_token", "dev-verify-token")
        .queryParam("hub.challenge", "1158201444")
        .when()
        .get("/webhooks/whatsapp")
        .then()
        .statusCode(200)
        .body(equalTo("1158201444"));
  }

  @Test
  void aWrongVerifyTokenIsForbidden() {
    given()
        .queryParam("hub.mode", "subscribe")
        .queryParam("hub.verify_token", "guessed-token")
        .queryParam("hub.challenge", "1158201444")
        .when()
        .get("/webhooks/whatsapp")
        .then()
        .statusCode(403);
  }

  @Test
  void aMissingTokenOrWrongModeIsForbidden() {
    given()
        .queryParam("hub.mode", "subscribe")
        .queryParam("hub.challenge", "1")
        .when()
        .get("/webhooks/whatsapp")
        .then()
        .statusCode(403);
    given()
        .queryParam("hub.mode", "unsubscribe")
        .queryParam("hub.verify_token", "dev-verify-token")
        .queryParam("hub.challenge", "1")
        .when()
        .get("/webhooks/whatsapp")
        .then()
        .statusCode(403);
  }
}
