package dev.switchboard.core.messaging;

import dev.switchboard.core.config.CoreConfig;
import dev.switchboard.core.conversation.AsyncPermits;
import dev.switchboard.core.conversation.CallService;
import dev.switchboard.core.conversation.ChannelKind;
import dev.switchboard.core.conversation.ConversationLanes;
import dev.switchboard.core.conversation.InFlightTurns;
import dev.switchboard.core.conversation.InboundCommand;
import dev.switchboard.core.conversation.TurnService;
import dev.switchboard.core.mapping.InboundMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * work in flight and stop polling when the model gateway is slow (backpressure).
 *
 * <p>Control events (interruption, call ended) first stop the generation in flight at once, then
 * are recorded in order in their lane. WhatsApp messages that arrive while their conversation is
 * busy are gathered into one batch and answered together when the lane is free.
 */
@Startup
@ApplicationScoped
public class InboundConsumer {
  private static final Logger LOG = Logger.getLogger(InboundConsumer.class);
  private static final int ATTEMPTS = 3;
  static final String DEAD_LETTERED = "switchboard.core.events.dead_lettered";

  private final TurnService turns;
  private final CallService calls;
  private final InFlightTurns inFlight;
  private final MeterRegistry metrics;
  private final ConversationLanes lanes = new ConversationLanes();
  private final AsyncPermits permits;
  private final Map<String, Batch> openBatches = new HashMap<>();

  /** WhatsApp messages of one conversation waiting to be answered together. */
  private static final class Batch {
    final List<InboundCommand.UserSaid> messages = new ArrayList<>();
    final List<Message<byte[]>> records = new ArrayList<>();
    boolean started;
  }

  public InboundConsumer(
      TurnService turns,
      CallService calls,
      InFlightTurns inFlight,
      CoreConfig config,
      MeterRegistry metrics) {
    this.turns = turns;
    this.calls = calls;
    this.inFlight = inFlight;
    this.metrics = metrics;
    this.permits = new AsyncPermits(config.core().maxInFlight());
    Gauge.builder("switchboard.core.conversations.active", lanes, ConversationLanes::activeLanes)
        .description("Conversations with an event queued or being answered")
        .strongReference(true)
        .register(metrics);
    // Registered at start so the series exists at zero: a rate over it sees the first dead letter.
    metrics.counter(DEAD_LETTERED);
  }

  @Incoming(Channels.INBOUND)
  public CompletionStage<Void> consume(Message<byte[]> record) {
    InboundMapper.Result result = InboundMapper.read(record.getPayload());
    if (result instanceof InboundMapper.Result.Rejected rejected) {
      metrics.counter(DEAD_LETTERED).increment();
      LOG.warnf("Inbound record sent to the dead-letter topic: %s", rejected.reason());
      return record.nack(new UnprocessableEventException(rejected.reason()));
    }
    InboundCommand command = ((InboundMapper.Result.Parsed) result).command();
    String key = command.meta().conversationKey();
    if (command instanceof InboundCommand.Interruption interruption) {
      if (inFlight.interrupt(key, interruption.interruptedReplyTo(), interruption.heardText())) {
        metrics.counter("switchboard.core.interruptions.applied").increment();
      }
    } else if (command instanceof InboundCommand.CallEnd) {
      inFlight.hangUp(key);
    }
    return permits.acquire().thenAccept(permit -> dispatch(command, record));
  }

  private void dispatch(InboundCommand command, Message<byte[]> record) {
    String key = command.meta().conversationKey();
    // The connector extracted the producer's trace context; the lane runs on other threads.
    Context traced =
        TracingMetadata.fromMessage(record)
            .map(TracingMetadata::getCurrentContext)
            .orElse(Context.current());
    if (command instanceof InboundCommand.UserSaid said
        && said.meta().channel() == ChannelKind.WHATSAPP) {
      Batch batch;
      synchronized (openBatches) {
        Batch open = openBatches.get(key);
        if (open != null && !open.started) {
          open.messages.add(said);
          open.records.add(record);
          metrics.counter("switchboard.core.messages.batched").increment();
          return;
        }
        batch = new Batch();
        batch.messages.add(said);
        batch.records.add(record);
        openBatches.put(key, batch);
      }
      lanes
          .submit(
              key,
              () -> {
                List<InboundCommand.UserSaid> messages;
                synchronized (openBatches) {
                  batch.started = true;
                  openBatches.remove(key, batch);
                  messages = List.copyOf(batch.messages);
                }
                try (Scope scope = traced.makeCurrent()) {
                  return withRetries(() -> turns.answer(messages), command, 1);
                }
              })
          .whenComplete((done, failure) -> finish(batch.records, command, failure));
      return;
    }
    Supplier<CompletionStage<Void>> work =
        command instanceof InboundCommand.UserSaid said
            ? () -> turns.answer(List.of(said))
            : () -> calls.handle(command);
    lanes
        .submit(
            key,
            () -> {
              try (Scope scope = traced.makeCurrent()) {
                return withRetries(work, command, 1);
              }
            })
        .whenComplete((done, failure) -> finish(List.of(record), command, failure));
  }

  /** Transient failures (database, broker) are retried; the work is idempotent by event id. */
  private CompletionStage<Void> withRetries(
      Supplier<CompletionStage<Void>> work, InboundCommand command, int attempt) {
    CompletionStage<Void> running;
    try {
      running = work.get();
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    return running
        .handle((ok, failure) -> failure)
        .thenCompose(
            failure -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(null);
              }
              if (attempt >= ATTEMPTS) {
                return CompletableFuture.failedFuture(failure);
              }
              metrics.counter("switchboard.core.events.retried").increment();
              LOG.warnf(
                  "Event %s of subject %s failed (attempt %d), retrying: %s",
                  command.meta().eventId(), command.meta().subjectId(), attempt, failure);
              return CompletableFuture.supplyAsync(
                      () -> null,
                      CompletableFuture.delayedExecutor(200L * attempt, TimeUnit.MILLISECONDS))
                  .thenCompose(v -> withRetries(work, command, attempt + 1));
            });
  }

  private void finish(List<Message<byte[]>> records, InboundCommand command, Throwable failure) {
    for (Message<byte[]> record : records) {
      permits.release();
      if (failure == null) {
        record.ack();
      } else {
        metrics.counter("switchboard.core.events.failed").increment();
        LOG.errorf(
            failure,
            "Event %s of subject %s failed %d times; sending it to the dead-letter topic",
            command.meta().eventId(),
            command.meta().subjectId(),
            ATTEMPTS);
        record.nack(new UnprocessableEventException("processing failed: " + failure, failure));
      }
    }
  }
}
