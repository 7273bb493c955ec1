package dev.switchboard.whatsapp.reply;

import dev.switchboard.whatsapp.client.GraphApiClient;
import dev.switchboard.whatsapp.client.GraphResult;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.PhoneNumbers;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.mapping.InboundEventMapper;
import dev.switchboard.whatsapp.webhook.AcceptedMessage;
import dev.switchboard.whatsapp.webhook.AcceptedMessageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * As soon as a message is accepted, marks it read and shows the typing indicator (one call), so the
 * person sees two blue ticks and "typing…" while the core works. Best effort: a failure is counted
 * and logged, never retried (the reply itself clears the indicator anyway); when too many receipts
 * already wait for a slow Graph API, the new one is skipped and counted instead of queueing ahead
 * of replies on the shared connections.
 */
@ApplicationScoped
public class ReadReceiptSender implements AcceptedMessageListener {
  private static final Logger LOG = Logger.getLogger(ReadReceiptSender.class);

  private final PhoneNumbers numbers;
  private final GraphApiClient graph;
  private final Counter sent;
  private final Counter failed;
  private final Counter skipped;
  private final Semaphore inFlight;
  private final boolean enabled;

  public ReadReceiptSender(
      PhoneNumbers numbers, GraphApiClient graph, MeterRegistry metrics, WhatsAppConfig config) {
    this.enabled = config.inbound().readReceipts();
    this.numbers = numbers;
    this.graph = graph;
    this.sent = metrics.counter("whatsapp.read.receipts", "ok", "true");
    this.failed = metrics.counter("whatsapp.read.receipts", "ok", "false");
    this.skipped = metrics.counter("whatsapp.read.receipts", "ok", "skipped");
    this.inFlight = new Semaphore(config.inbound().readReceiptsMaxInFlight());
  }

  @Override
  public void onAccepted(AcceptedMessage accepted) {
    if (!enabled || !InboundEventMapper.expectsReply(accepted.message().content())) {
      return;
    }
    numbers.byId(accepted.phoneNumberId()).ifPresent(number -> markRead(number, accepted));
  }

  private void markRead(PhoneNumber number, AcceptedMessage accepted) {
    if (!inFlight.tryAcquire()) {
      skipped.increment();
      return;
    }
    graph
        .markRead(number, accepted.message().wamid())
        .whenComplete(
            (result, error) -> {
              inFlight.release();
              (result instanceof GraphResult.Ok ? sent : failed).increment();
              if (result instanceof GraphResult.Failed failure) {
                LOG.debugf(
                    "Read receipt for subject %s failed: code %d",
                    accepted.subjectId(), failure.code());
              }
            });
  }
}
