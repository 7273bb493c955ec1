package dev.switchboard.safety.messaging;

import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.safety.cases.Enforcement;
import dev.switchboard.safety.mapping.EnforcementMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes enforcement on {@code safety.enforcement}, keyed by subject id (the topic is compacted:
 * the latest action per person wins). Waits for the broker's acknowledgement (acks=all) so a
 * decision is never recorded as enforced when it was not published.
 */
@ApplicationScoped
public class EnforcementPublisher {
  public static final String CHANNEL = "enforcement";

  private final MutinyEmitter<EnforcementAction> emitter;
  private final MeterRegistry registry;

  public EnforcementPublisher(
      @Channel(CHANNEL) MutinyEmitter<EnforcementAction> emitter, MeterRegistry registry) {
    this.emitter = emitter;
    this.registry = registry;
  }

  public void publish(Enforcement enforcement) {
    EnforcementAction event = EnforcementMapping.toEvent(enforcement);
    emitter.sendMessageAndAwait(
        Message.of(event)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(enforcement.subjectId())
                    .build()));
    registry
        .counter(
            "safety.enforcement.actions",
            "origin",
            enforcement.automatic() ? "automatic" : "human",
            "action",
            enforcement.choice().name().toLowerCase(java.util.Locale.ROOT))
        .increment();
  }
}
