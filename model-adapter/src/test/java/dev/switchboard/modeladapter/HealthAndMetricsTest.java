package dev.switchboard.modeladapter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What an SRE's probes and scraper see. */
@QuarkusTest
class HealthAndMetricsTest {

  @Test
  void livenessAndReadinessAreUp() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void prometheusMetricsAreServed() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("jvm_memory_used_bytes"))
        // A guarded backend's circuit is visible before its first call (closed: 0).
        .body(
            containsString(
                "switchboard_model_circuit_open{backend=\"scripted\",capability=\"chat\"} 0.0"));
  }
}
