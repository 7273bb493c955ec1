package dev.switchboard.core.messaging;

import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.AsyncPermits;
import dev.switchboard.core.conversation.ConversationLanes;
import dev.switchboard.core.conversation.InboundCommand;
import dev.switchboard.core.conversation.TurnService;
import dev.switchboard.core.mapping.InboundMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code conversation.inbound}. Each record is parsed here (bad ones go to the dead-letter
 * topic with the reason), then handed to its conversation's lane and acknowledged only when its
 * work is durable. The throttled commit strategy commits an offset only once it and every offset
 * before it on the partition were acknowledged, so acknowledging out of order is safe.
 *
 * <p>The returned stage completes as soon as the record has a permit, not when its work is done:
 * that lets the next record (often another conversation) start at once, while the permits bound the
 * work in flight and stop polling when the model gateway is slow.
 */
@Startup
@ApplicationScoped
public class InboundConsumer {
  private static final Logger LOG = Logger.getLogger(InboundConsumer.class);

  private final TurnService turns;
  private final MeterRegistry metrics;
  private final ConversationLanes lanes = new ConversationLanes();
  private final AsyncPermits permits;

  public InboundConsumer(TurnService turns, CoreConfig config, MeterRegistry metrics) {
    this.turns = turns;
    this.metrics = metrics;
    this.permits = new AsyncPermits(config.core().maxInFlight());
    Gauge.builder("switchboard.core.conversations.active", lanes, ConversationLanes::activeLanes)
        .description("Conversations with an event queued or being answered")
        .strongReference(true)
        .register(metrics);
  }

  @Incoming(Channels.INBOUND)
  public CompletionStage<Void> consume(Message<byte[]> record) {
    InboundMapper.Result result = InboundMapper.read(record.getPayload());
    if (result instanceof InboundMapper.Result.Rejected rejected) {
      metrics.counter("switchboard.core.events.dead_lettered").increment();
      LOG.warnf("Inbound record sent to the dead-letter topic: %s", rejected.reason());
      return record.nack(new UnprocessableEventException(rejected.reason()));
    }
    InboundCommand command = ((InboundMapper.Result.Parsed) result).command();
    return permits
        .acquire()
        .thenAccept(
            permit ->
                lanes
                    .submit(command.meta().conversationKey(), () -> turns.handle(command))
                    .whenComplete(
                        (done, failure) -> {
                          permits.release();
                          if (failure == null) {
                            record.ack();
                          } else {
                            metrics.counter("switchboard.core.events.failed").increment();
                            LOG.errorf(
                                failure,
                                "Event %s of subject %s failed; sending it to the dead-letter"
                                    + " topic",
                                command.meta().eventId(),
                                command.meta().subjectId());
                            record.nack(
                                new UnprocessableEventException(
                                    "processing failed: " + failure, failure));
                          }
                        }));
  }
}
