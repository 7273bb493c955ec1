package dev.switchboard.whatsapp.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.PhoneNumbers;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.identity.PersonIdentity;
import dev.switchboard.whatsapp.mapping.InboundEventMapper;
import dev.switchboard.whatsapp.media.MediaWorker;
import dev.switchboard.whatsapp.messaging.InboundEventPublisher;
import dev.switchboard.whatsapp.messaging.InboundEventPublisher.Outgoing;
import dev.switchboard.whatsapp.persistence.MediaJobRepository;
import dev.switchboard.whatsapp.persistence.OutboundMessageRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The webhook's work: authenticate the raw bytes, read the envelope, remember how to reach each
 * sender, apply delivery statuses, and put one inbound event per message on Kafka. The outcome is
 * {@link IntakeOutcome.Accepted} only once all of that is durable.
 */
@ApplicationScoped
public class WebhookIntake {
  private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

  private final SignatureVerifier verifier;
  private final WebhookParser parser;
  private final PhoneNumbers numbers;
  private final PersonIdentity identity;
  private final ContactRecorder contacts;
  private final OutboundMessageRepository outbound;
  private final InboundEventPublisher publisher;

  /** Resolved once: iterating an {@link Instance} looks every bean up again. */
  private final List<AcceptedMessageListener> listeners;

  private final MediaJobRepository mediaJobs;
  private final MeterRegistry metrics;
  private final Duration ackTimeout;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<Class<?>, Counter> messageTypes = new ConcurrentHashMap<>();

  public WebhookIntake(
      PhoneNumbers numbers,
      PersonIdentity identity,
      ContactRecorder contacts,
      OutboundMessageRepository outbound,
      InboundEventPublisher publisher,
      @Any Instance<AcceptedMessageListener> listeners,
      MediaJobRepository mediaJobs,
      MeterRegistry metrics,
      ObjectMapper json,
      WhatsAppConfig config) {
    this.verifier = new SignatureVerifier(numbers.appSecrets());
    this.parser = new WebhookParser(json);
    this.numbers = numbers;
    this.identity = identity;
    this.contacts = contacts;
    this.outbound = outbound;
    this.publisher = publisher;
    this.listeners = listeners.stream().toList();
    this.mediaJobs = mediaJobs;
    this.metrics = metrics;
    this.ackTimeout = config.inbound().ackTimeout();
  }

  public CompletionStage<IntakeOutcome> accept(String signatureHeader, byte[] rawBody) {
    SignatureVerifier.Result signature = verifier.verify(signatureHeader, rawBody);
    if (!signature.valid()) {
      return done(
          "unauthorized",
          new IntakeOutcome.Unauthorized(
              signature.verdict() == SignatureVerifier.Verdict.MISSING
                  ? "missing X-Hub-Signature-256"
                  : "invalid X-Hub-Signature-256"));
    }
    ParseResult parsed = parser.parse(rawBody);
    if (parsed instanceof ParseResult.Rejected rejected) {
      return done("bad_request", new IntakeOutcome.BadRequest(rejected.reason()));
    }
    WebhookPayload payload = ((ParseResult.Parsed) parsed).payload();

    List<Outgoing> events = new ArrayList<>();
    List<Runnable> durableWrites = new ArrayList<>();
    List<AcceptedMessage> accepted = new ArrayList<>();
    for (MessagesChange change : payload.changes()) {
      Optional<PhoneNumber> number = numbers.byId(change.phoneNumberId());
      if (number.isEmpty()) {
        // Signed by Meta but for a number we do not serve: redelivery would not help.
        metrics.counter("whatsapp.webhook.unknown.number").increment();
        LOG.warnf("Ignoring a change for unconfigured phone_number_id %s", change.phoneNumberId());
        continue;
      }
      if (!number.get().appSecret().equals(signature.matchingSecret())) {
        return done(
            "unauthorized",
            new IntakeOutcome.Unauthorized("signature is not from the app of this number"));
      }
      collect(change, events, durableWrites, accepted);
    }

    // The publish may run on a worker thread: it must still carry the webhook request's trace.
    Context traced = Context.current();
    CompletableFuture<Void> kept;
    if (durableWrites.isEmpty()) {
      // The producer bounds this itself (max.block.ms, then delivery.timeout.ms = ack timeout),
      // so no extra timer per webhook.
      kept = publisher.publish(events);
    } else {
      kept =
          CompletableFuture.runAsync(
                  () -> durableWrites.forEach(Runnable::run), Infrastructure.getDefaultWorkerPool())
              .thenCompose(
                  ignored -> {
                    try (Scope scope = traced.makeCurrent()) {
                      return publisher.publish(events);
                    }
                  })
              .orTimeout(ackTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    }
    return kept.handleAsync(
        (ignored, error) -> {
          if (error != null) {
            LOG.warnf("Webhook not kept, answering 503 so Meta redelivers: %s", rootMessage(error));
            outcome("unavailable").increment();
            return (IntakeOutcome) new IntakeOutcome.Unavailable("events could not be kept");
          }
          outcome("accepted").increment();
          for (AcceptedMessage message : accepted) {
            for (AcceptedMessageListener listener : listeners) {
              listener.onAccepted(message);
            }
          }
          return new IntakeOutcome.Accepted(events.size());
        },
        backOnRequestThread());
  }

  /**
   * The rest of the webhook (listeners, the answer) goes back to the request's event loop: the
   * broker's acknowledgement arrives on the Kafka producer's single I/O thread, which should only
   * move bytes.
   */
  private static Executor backOnRequestThread() {
    io.vertx.core.Context request = Vertx.currentContext();
    if (request == null) {
      return Runnable::run;
    }
    return task -> request.runOnContext(ignored -> task.run());
  }

  private void collect(
      MessagesChange change,
      List<Outgoing> events,
      List<Runnable> durableWrites,
      List<AcceptedMessage> accepted) {
    String phoneNumberId = change.phoneNumberId();
    for (IncomingMessage message : change.messages()) {
      String subjectId = identity.subjectOf(message.waId(), message.userId());
      Runnable write =
          contacts.pendingWrite(
              phoneNumberId, subjectId, message.waId(), message.userId(), message.sentAt());
      if (write != null) {
        durableWrites.add(write);
      }
      InboundEvent event = InboundEventMapper.toEvent(message, phoneNumberId, subjectId, null);
      if (message.content() instanceof MessageContent.Media media
          && MediaWorker.needsWork(InboundEventMapper.kindOf(media.kind()))) {
        // Published by the media worker once transcribed or inlined; queued durably now.
        durableWrites.add(
            () ->
                mediaJobs.enqueue(
                    event.getEventId(),
                    phoneNumberId,
                    subjectId,
                    media.mediaId(),
                    InboundEventMapper.kindOf(media.kind()) == MediaPart.Kind.KIND_IMAGE
                        ? "KIND_IMAGE"
                        : "KIND_AUDIO",
                    media.mimeType(),
                    event.toByteArray()));
      } else {
        events.add(Outgoing.inbound(event));
      }
      if (message.content() instanceof MessageContent.Unsupported) {
        events.add(
            Outgoing.reply(
                InboundEventMapper.channelReply(
                    message, phoneNumberId, subjectId, "unsupported", ChannelTexts.UNSUPPORTED)));
      }
      accepted.add(new AcceptedMessage(phoneNumberId, subjectId, message));
      messageTypes
          .computeIfAbsent(
              message.content().getClass(),
              type -> metrics.counter("whatsapp.inbound.messages", "type", type.getSimpleName()))
          .increment();
    }
    if (change.skippedMessages() > 0) {
      metrics.counter("whatsapp.inbound.skipped").increment(change.skippedMessages());
      LOG.warnf(
          "Skipped %d message(s) without an id, type or sender on %s",
          change.skippedMessages(), phoneNumberId);
    }
    for (StatusUpdate status : change.statuses()) {
      durableWrites.add(() -> applyStatus(status));
    }
    for (GraphError error : change.errors()) {
      metrics.counter("whatsapp.webhook.errors", "code", String.valueOf(error.code())).increment();
      LOG.warnf(
          "Cloud API reported error %d (%s) on %s", error.code(), error.title(), phoneNumberId);
    }
  }

  private void applyStatus(StatusUpdate status) {
    GraphError firstError = status.errors().isEmpty() ? null : status.errors().get(0);
    boolean ours =
        outbound.applyStatus(
            status.wamid(),
            status.status().toUpperCase(java.util.Locale.ROOT),
            firstError == null ? null : firstError.code(),
            firstError == null ? null : firstError.title());
    metrics
        .counter("whatsapp.outbound.statuses", "status", status.status(), "known", "" + ours)
        .increment();
    for (GraphError error : status.errors()) {
      metrics
          .counter("whatsapp.outbound.failures", "code", String.valueOf(error.code()))
          .increment();
    }
  }

  private CompletionStage<IntakeOutcome> done(String outcome, IntakeOutcome result) {
    outcome(outcome).increment();
    return CompletableFuture.completedFuture(result);
  }

  /** Meter lookups build ids and tags; the hot path reuses the few counters it needs. */
  private Counter outcome(String outcome) {
    return outcomes.computeIfAbsent(
        outcome, o -> metrics.counter("whatsapp.webhooks", "outcome", o));
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
