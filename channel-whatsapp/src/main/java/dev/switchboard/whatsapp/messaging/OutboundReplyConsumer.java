package dev.switchboard.whatsapp.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import dev.switchboard.whatsapp.mapping.OutboundEventMapper;
import dev.switchboard.whatsapp.reply.KeyedLanes;
import dev.switchboard.whatsapp.reply.ReplySender;
import dev.switchboard.whatsapp.reply.UnprocessableEventException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads replies from {@code conversation.outbound.whatsapp}. Each record is handed to the lane of
 * its conversation (the record key): conversations proceed concurrently, one conversation's replies
 * in order. Records are read as bytes and parsed in the lane, so an unparseable one is nacked and
 * lands on the dead-letter topic with the reason instead of stalling the partition. Offsets are
 * committed only up to records that were acked (SmallRye's throttled strategy).
 */
@ApplicationScoped
public class OutboundReplyConsumer {
  public static final String CHANNEL = "whatsapp-replies";
  private static final Logger LOG = Logger.getLogger(OutboundReplyConsumer.class);

  private final ReplySender sender;
  private final KeyedLanes lanes;
  private final Tracer tracer;

  public OutboundReplyConsumer(
      ReplySender sender, WhatsAppConfig config, OpenTelemetry openTelemetry) {
    this.sender = sender;
    this.tracer = openTelemetry.getTracer("dev.switchboard.whatsapp");
    this.lanes = new KeyedLanes(Math.max(1, config.outbound().concurrency()));
  }

  @Incoming(CHANNEL)
  public CompletionStage<Void> onReply(Message<byte[]> message) {
    String key =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> String.valueOf(m.getKey()))
            .orElse("");
    lanes
        .submit(key, () -> handleTraced(traceOf(message), message.getPayload()))
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                message.ack();
              } else {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                LOG.warnf("Outbound record goes to the dead-letter topic: %s", cause.getMessage());
                message.nack(cause);
              }
            });
    // Accept the next record at once; the ack above follows when this one is done.
    return CompletableFuture.completedFuture(null);
  }

  /** The reply's trace context, which the Kafka connector extracted from the record headers. */
  private static Context traceOf(Message<byte[]> message) {
    return TracingMetadata.fromMessage(message)
        .map(TracingMetadata::getCurrentContext)
        .orElse(Context.current());
  }

  /** The lane thread sends to the Graph API inside a span of the turn's trace. */
  private void handleTraced(Context parent, byte[] payload) {
    Span span =
        tracer
            .spanBuilder("whatsapp reply send")
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("messaging.destination.name", Topics.OUTBOUND_WHATSAPP)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      handle(payload);
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  private void handle(byte[] payload) {
    OutboundEvent event;
    try {
      event = OutboundEvent.parseFrom(payload == null ? new byte[0] : payload);
    } catch (InvalidProtocolBufferException e) {
      throw new UnprocessableEventException("not an OutboundEvent protobuf: " + e.getMessage());
    }
    sender.deliver(OutboundEventMapper.toReply(event));
  }

  void close(@Observes ShutdownEvent shutdown) {
    lanes.close();
  }
}
