package dev.switchboard.core.health;

import dev.switchboard.core.messaging.TurnOutputProducer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Replies and transcripts reach the broker: DOWN while the latest record the turn producer sent was
 * refused and none has been confirmed since (the replies are not going out; the inbound offsets
 * wait, so nothing is lost). The failures are also counted for alerting.
 */
@Readiness
@Startup // the failure counter exists from the start, at zero
@ApplicationScoped
public class TurnOutputReadinessCheck implements HealthCheck {
  private final TurnOutputProducer producer;

  public TurnOutputReadinessCheck(TurnOutputProducer producer, MeterRegistry metrics) {
    this.producer = producer;
    FunctionCounter.builder(
            "switchboard.core.output.send.failures", producer, TurnOutputProducer::failures)
        .description("Reply and transcript records the broker did not confirm")
        .register(metrics);
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("turn-output")
        .status(!producer.failing())
        .withData("failures", producer.failures())
        .build();
  }
}
