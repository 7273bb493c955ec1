package dev.switchboard.whatsapp.reply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.whatsapp.client.GraphApiClient;
import dev.switchboard.whatsapp.client.GraphMessages;
import dev.switchboard.whatsapp.client.GraphMessages.Recipient;
import dev.switchboard.whatsapp.client.GraphResult;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.PhoneNumbers;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.format.MessageSplitter;
import dev.switchboard.whatsapp.format.WhatsAppFormatter;
import dev.switchboard.whatsapp.persistence.ContactEntity;
import dev.switchboard.whatsapp.persistence.ContactRepository;
import dev.switchboard.whatsapp.persistence.OutboundMessageRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends one reply: formatted for WhatsApp, split into parts of at most 4096 characters, each part
 * at most once and in order, paced per number and per person, retried on throttling and transient
 * errors, and replaced by the number's approved template outside the 24-hour window.
 *
 * <p>At most once: each part's id ({@code <event id>} for part 0, {@code <event id>#<n>} after) is
 * claimed in PostgreSQL (committed) before its Graph API call, so a redelivered event skips what
 * was sent. Window: if the process dies after a claim and before the call's answer is recorded,
 * that part stays SENDING and is never sent again; a crash there can lose one part (at most one
 * Graph API call, {@code outbound.request-timeout}), never duplicate it.
 */
@ApplicationScoped
public class ReplySender {
  private static final Logger LOG = Logger.getLogger(ReplySender.class);
  static final int OUTSIDE_WINDOW = 131047;

  private final PhoneNumbers numbers;
  private final ContactRepository contacts;
  private final OutboundMessageRepository outbound;
  private final GraphApiClient graph;
  private final GraphMessages bodies;
  private final MeterRegistry metrics;
  private final Backoff backoff;
  private final Pacer pacer;
  private final int maxAttempts;
  private final Duration serviceWindow;
  private final WhatsAppFormatter formatter = new WhatsAppFormatter();
  private final MessageSplitter splitter = new MessageSplitter(MessageSplitter.WHATSAPP_TEXT_LIMIT);

  public ReplySender(
      PhoneNumbers numbers,
      ContactRepository contacts,
      OutboundMessageRepository outbound,
      GraphApiClient graph,
      ObjectMapper json,
      MeterRegistry metrics,
      WhatsAppConfig config) {
    this.numbers = numbers;
    this.contacts = contacts;
    this.outbound = outbound;
    this.graph = graph;
    this.bodies = new GraphMessages(json);
    this.metrics = metrics;
    WhatsAppConfig.Outbound settings = config.outbound();
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.pacer =
        new Pacer(settings.perNumberRate(), settings.perUserBurst(), settings.perUserInterval());
    this.maxAttempts = Math.max(1, settings.maxAttempts());
    this.serviceWindow = settings.serviceWindow();
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

    if (contact.lastInboundAt.isBefore(Instant.now().minus(serviceWindow))) {
      metrics.counter("whatsapp.outbound.window.closed").increment();
      if (claim(reply, reply.eventId(), 0)) {
        sendTemplate(reply, reply.eventId(), number, recipient, "the 24-hour window is closed");
      }
      return;
    }

    List<String> parts = splitter.split(formatter.format(reply.text()));
    if (parts.isEmpty()) {
      throw new UnprocessableEventException("reply " + reply.eventId() + " has no text");
    }
    for (int i = 0; i < parts.size(); i++) {
      String partId = i == 0 ? reply.eventId() : reply.eventId() + "#" + i;
      if (!claim(reply, partId, i)) {
        continue;
      }
      pacer.await(reply.phoneNumberId(), reply.subjectId());
      ObjectNode body =
          bodies.text(recipient, parts.get(i), i == 0 ? reply.contextMessageId() : null);
      GraphResult result = sendWithRetries(reply, partId, number, body, "TEXT");
      if (result instanceof GraphResult.Failed failed) {
        if (failed.code() == OUTSIDE_WINDOW) {
          sendTemplate(reply, partId, number, recipient, "Meta answered 131047");
        }
        // Later parts would arrive without the earlier ones; the failure is recorded instead.
        return;
      }
    }
  }

  private boolean claim(OutboundReply reply, String partId, int part) {
    if (outbound.claim(
        partId, reply.conversationId(), reply.subjectId(), reply.phoneNumberId(), part)) {
      return true;
    }
    metrics.counter("whatsapp.outbound.duplicates").increment();
    LOG.infof("Reply part %s was already handled; not sending it again", partId);
    return false;
  }

  private void sendTemplate(
      OutboundReply reply, String partId, PhoneNumber number, Recipient recipient, String why) {
    if (number.templateName().isEmpty()) {
      outbound.markFailed(partId, OUTSIDE_WINDOW, why + " and no template is configured", 0);
      metrics.counter("whatsapp.outbound.failed", "reason", "window_no_template").increment();
      LOG.warnf(
          "Reply %s to subject %s not sent: %s and number %s has no template",
          partId, reply.subjectId(), why, number.phoneNumberId());
      return;
    }
    LOG.infof("Reply %s goes as template because %s", partId, why);
    pacer.await(reply.phoneNumberId(), reply.subjectId());
    ObjectNode body =
        bodies.template(recipient, number.templateName().get(), number.templateLanguage());
    sendWithRetries(reply, partId, number, body, "TEMPLATE");
  }

  /** Sends one body and records the outcome under {@code partId}; returns the last result. */
  private GraphResult sendWithRetries(
      OutboundReply reply, String partId, PhoneNumber number, ObjectNode body, String kind) {
    GraphResult.Failed last = null;
    int attempt = 1;
    for (; attempt <= maxAttempts; attempt++) {
      GraphResult result = graph.postMessage(number, body).join();
      if (result instanceof GraphResult.Ok ok) {
        outbound.markSent(partId, ok.wamid(), kind, attempt);
        metrics.counter("whatsapp.outbound.sent", "kind", kind).increment();
        LOG.infof(
            "Sent %s %s to subject %s (%d attempt(s))",
            kind.toLowerCase(java.util.Locale.ROOT), partId, reply.subjectId(), attempt);
        return ok;
      }
      last = (GraphResult.Failed) result;
      metrics.counter("whatsapp.outbound.errors", "code", String.valueOf(last.code())).increment();
      if (!last.retryable() || attempt == maxAttempts) {
        break;
      }
      metrics.counter("whatsapp.outbound.retries").increment();
      sleepMillis(backoff.delayMillis(attempt - 1));
    }
    outbound.markFailed(partId, last.code(), last.title(), attempt);
    metrics
        .counter("whatsapp.outbound.failed", "reason", last.retryable() ? "gave_up" : "permanent")
        .increment();
    LOG.warnf(
        "%s %s to subject %s failed after %d attempt(s): HTTP %d, code %d (%s)",
        kind, partId, reply.subjectId(), attempt, last.httpStatus(), last.code(), last.title());
    return last;
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
