package dev.switchboard.voice.messaging;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.kafka.ProtobufSerializer;
import dev.switchboard.voice.call.InviteTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes the call's events to {@code conversation.inbound} (key = conversation id, acks=all) and
 * unreadable outbound records to their dead-letter topic. Created only when the conversation runs
 * (first use), so signalling-only test modes need no broker.
 *
 * <p>Every record is sent inside a producer span whose W3C trace context goes into the record's
 * headers, so the core's consumer continues the trace: the INVITE's for {@code call_started}, the
 * caller turn's for {@code user_message}. Events with no trace in progress (DTMF, barge-in, call
 * end) start a trace of their own, linked to the call's INVITE span.
 */
@ApplicationScoped
public class InboundPublisher {
  private static final Logger LOG = Logger.getLogger(InboundPublisher.class);
  public static final String DEAD_LETTER_REASON = "dead-letter-reason";
  static final AttributeKey<String> EVENT_KIND = AttributeKey.stringKey("switchboard.event.kind");
  static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("enduser.pseudo.id");

  private final String bootstrapServers;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final AtomicLong failures = new AtomicLong();
  private volatile KafkaProducer<String, byte[]> producer;

  public InboundPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers,
      OpenTelemetry openTelemetry) {
    this.bootstrapServers = bootstrapServers;
    this.tracer = openTelemetry.getTracer(InviteTracing.INSTRUMENTATION);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * Publishes one event; failures are logged with the event id and counted, never thrown. The
   * record's producer span is a child of the span in {@code parent}; with none there it starts a
   * new trace linked to {@code call} (the call's INVITE span, when valid). The parent is explicit:
   * callers run on event loops and gRPC threads where the current context is not reliable.
   */
  public void publish(InboundEvent event, Context parent, SpanContext call) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.INBOUND, event.getConversationId(), event.toByteArray());
    record
        .headers()
        .add(
            ProtobufSerializer.CONTENT_TYPE_HEADER,
            ProtobufSerializer.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
    Span span = producerSpan(event, parent, call);
    propagator.inject(parent.with(span), record.headers(), KafkaTraceHeaders.SETTER);
    try {
      producer()
          .send(
              record,
              (meta, error) -> {
                if (error != null) {
                  failures.incrementAndGet();
                  span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                  LOG.errorf("Could not publish %s: %s", event.getEventId(), error.getMessage());
                } else {
                  span.setAttribute("messaging.destination.partition.id", meta.partition());
                  span.setAttribute("messaging.kafka.offset", meta.offset());
                }
                span.end();
              });
    } catch (RuntimeException e) {
      // send() throws only before the record is queued (e.g. producer closed at shutdown).
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      span.end();
      failures.incrementAndGet();
      LOG.errorf("Could not publish %s: %s", event.getEventId(), e.getMessage());
    }
  }

  /**
   * {@code conversation.inbound publish}: no conversation id, event id or text (a Call-ID is in
   * them).
   */
  private Span producerSpan(InboundEvent event, Context parent, SpanContext call) {
    SpanBuilder builder =
        tracer
            .spanBuilder(Topics.INBOUND + " publish")
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.destination.name", Topics.INBOUND)
            .setAttribute("messaging.operation.type", "send")
            .setAttribute(EVENT_KIND, event.getPayloadCase().name().toLowerCase(Locale.ROOT))
            .setAttribute(SUBJECT, event.getSubjectId());
    if (Span.fromContext(parent).getSpanContext().isValid()) {
      builder.setParent(parent);
    } else {
      builder.setNoParent();
      if (call.isValid()) {
        builder.addLink(call);
      }
    }
    return builder.startSpan();
  }

  /** Sends an unreadable record to {@code <topic>.dlq} with the reason in a header. */
  public void deadLetter(String topic, String key, byte[] value, String reason) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.deadLetterOf(topic), key, value);
    record.headers().add(DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
    // Whoever replays the dead letter sees the trace it came from.
    propagator.inject(Context.current(), record.headers(), KafkaTraceHeaders.SETTER);
    producer().send(record);
  }

  /** Sends that failed after the producer's own retries. */
  public long failures() {
    return failures.get();
  }

  private KafkaProducer<String, byte[]> producer() {
    KafkaProducer<String, byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          props.put(ProducerConfig.CLIENT_ID_CONFIG, "channel-voice-inbound");
          producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        p = producer;
      }
    }
    return p;
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      producer.close(java.time.Duration.ofSeconds(5));
    }
  }
}
