package dev.switchboard.whatsapp.reply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.whatsapp.client.GraphApiClient;
import dev.switchboard.whatsapp.client.GraphMessages;
import dev.switchboard.whatsapp.client.GraphMessages.Recipient;
import dev.switchboard.whatsapp.client.GraphResult;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.PhoneNumbers;
import dev.switchboard.whatsapp.config.SwitchboardConfig;
import dev.switchboard.whatsapp.persistence.ContactEntity;
import dev.switchboard.whatsapp.persistence.ContactRepository;
import dev.switchboard.whatsapp.persistence.OutboundMessageRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sends one reply at most once. The outbound event id is claimed in PostgreSQL (committed) before
 * the Graph API call; a redelivered event finds the claim and is skipped. Throttling and transient
 * failures are retried with backoff and jitter; permanent errors are recorded and not retried.
 *
 * <p>Window: if the process dies after the claim and before the call returns, the reply stays
 * SENDING and is not sent again (at most once): a redelivery never duplicates it, but a crash in
 * that window (one Graph API call, at most {@code outbound.request-timeout}) can lose it.
 */
@ApplicationScoped
public class ReplySender {
  private static final Logger LOG = Logger.getLogger(ReplySender.class);

  private final PhoneNumbers numbers;
  private final ContactRepository contacts;
  private final OutboundMessageRepository outbound;
  private final GraphApiClient graph;
  private final GraphMessages bodies;
  private final MeterRegistry metrics;
  private final Backoff backoff;
  private final int maxAttempts;

  public ReplySender(
      PhoneNumbers numbers,
      ContactRepository contacts,
      OutboundMessageRepository outbound,
      GraphApiClient graph,
      ObjectMapper json,
      MeterRegistry metrics,
      SwitchboardConfig config) {
    this.numbers = numbers;
    this.contacts = contacts;
    this.outbound = outbound;
    this.graph = graph;
    this.bodies = new GraphMessages(json);
    this.metrics = metrics;
    SwitchboardConfig.Outbound settings = config.whatsapp().outbound();
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.maxAttempts = Math.max(1, settings.maxAttempts());
  }

  public void deliver(OutboundReply reply) {
    PhoneNumber number =
        numbers
            .byId(reply.phoneNumberId())
            .orElseThrow(
                () ->
                    new UnprocessableEventException(
                        "phone_number_id " + reply.phoneNumberId() + " is not configured"));
    ContactEntity contact =
        contacts
            .find(reply.phoneNumberId(), reply.subjectId())
            .orElseThrow(
                () ->
                    new UnprocessableEventException(
                        "no WhatsApp address known for subject " + reply.subjectId()));
    Recipient recipient = new Recipient(contact.waId, contact.userId);

    if (!outbound.claim(
        reply.eventId(), reply.conversationId(), reply.subjectId(), reply.phoneNumberId(), 0)) {
      metrics.counter("whatsapp.outbound.duplicates").increment();
      LOG.infof("Reply %s was already handled; not sending it again", reply.eventId());
      return;
    }
    ObjectNode body = bodies.text(recipient, reply.text(), reply.contextMessageId());
    send(reply, number, body, "TEXT");
  }

  private void send(OutboundReply reply, PhoneNumber number, ObjectNode body, String kind) {
    GraphResult.Failed last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      GraphResult result = graph.postMessage(number, body).join();
      if (result instanceof GraphResult.Ok ok) {
        outbound.markSent(reply.eventId(), ok.wamid(), kind, attempt);
        metrics.counter("whatsapp.outbound.sent", "kind", kind).increment();
        LOG.infof(
            "Sent reply %s to subject %s (%d attempt(s))",
            reply.eventId(), reply.subjectId(), attempt);
        return;
      }
      last = (GraphResult.Failed) result;
      metrics.counter("whatsapp.outbound.errors", "code", String.valueOf(last.code())).increment();
      if (!last.retryable()) {
        break;
      }
      if (attempt < maxAttempts) {
        sleep(backoff.delayMillis(attempt - 1));
      }
    }
    outbound.markFailed(reply.eventId(), last.code(), last.title(), maxAttempts);
    metrics
        .counter("whatsapp.outbound.failed", "retryable", String.valueOf(last.retryable()))
        .increment();
    LOG.warnf(
        "Reply %s to subject %s failed: HTTP %d, code %d (%s)",
        reply.eventId(), reply.subjectId(), last.httpStatus(), last.code(), last.title());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
