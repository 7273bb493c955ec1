package dev.switchboard.core.messaging;

import com.google.protobuf.MessageLite;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.kafka.ProtobufSerializer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one producer for everything a turn outputs: reply records (to the topic and partition of each
 * event's reply route) and transcripts. A plain Kafka producer instead of two SmallRye emitters,
 * because this is the hot path: one record per sentence plus one per turn, and the emitters cost a
 * Mutiny pipeline, a metadata-carrying message and a producer (with its own network thread and
 * broker requests) per channel. Shared, the replies and transcripts of many turns travel in the
 * same produce requests.
 *
 * <p>Durable like the emitters were: acks=all and idempotence, and the returned stage completes
 * only when the broker confirmed the record. Each record is sent inside a producer span, child of
 * the caller's current trace context, whose W3C context goes into the record's headers ({@code
 * traceparent}), so the channel that delivers the reply continues the person's trace. With tracing
 * off (the OpenTelemetry SDK disabled) the span and the injection are no-ops.
 */
@ApplicationScoped
public class TurnOutputProducer {
  private static final Logger LOG = Logger.getLogger(TurnOutputProducer.class);
  private static final byte[] CONTENT_TYPE =
      ProtobufSerializer.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII);
  private static final TextMapSetter<Headers> HEADERS =
      (headers, key, value) -> {
        if (headers != null) {
          headers.remove(key);
          headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
      };

  private final KafkaProducer<String, byte[]> producer;
  private final java.util.concurrent.atomic.AtomicLong failures =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean lastSendFailed;
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public TurnOutputProducer(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      OpenTelemetry openTelemetry) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "conversation-core-turns");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Replies are on the person's critical path: gather for at most a millisecond.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.tracer = openTelemetry.getTracer("dev.switchboard.core");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    // Learn the topics' partitions now, off the hot path: the first send to a topic otherwise
    // waits for that metadata on whatever thread sends (a gRPC transport thread for voice chunks).
    Thread warmUp =
        new Thread(
            () -> {
              for (String topic :
                  List.of(
                      Topics.OUTBOUND_VOICE, Topics.OUTBOUND_WHATSAPP, Topics.SAFETY_TRANSCRIPTS)) {
                try {
                  producer.partitionsFor(topic);
                } catch (RuntimeException e) {
                  LOG.debugf("No metadata for %s yet: %s", topic, e);
                }
              }
            },
            "core-turn-producer-metadata");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * Sends {@code value} keyed by {@code key} to {@code topic} ({@code partition} when it is {@code
   * >= 0}, else by key); completes when the broker has it on every in-sync replica.
   */
  public CompletableFuture<Void> send(String topic, int partition, String key, MessageLite value) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, partition >= 0 ? partition : null, key, value.toByteArray());
    record.headers().add(ProtobufSerializer.CONTENT_TYPE_HEADER, CONTENT_TYPE);
    Context parent = Context.current();
    Span span =
        tracer
            .spanBuilder(topic + " publish")
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(parent)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.destination.name", topic)
            .setAttribute("messaging.operation.type", "send")
            .startSpan();
    propagator.inject(parent.with(span), record.headers(), HEADERS);
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, failure) -> {
            if (failure != null) {
              failures.incrementAndGet();
              lastSendFailed = true;
              span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
              span.end();
              confirmed.completeExceptionally(failure);
            } else {
              lastSendFailed = false;
              span.end();
              confirmed.complete(null);
            }
          });
    } catch (RuntimeException e) {
      // send() throws only before the record is queued (serialization, closed at shutdown).
      failures.incrementAndGet();
      lastSendFailed = true;
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      span.end();
      confirmed.completeExceptionally(e);
    }
    return confirmed;
  }

  /** Whether the latest record sent failed (no success since): the broker is not taking output. */
  public boolean failing() {
    return lastSendFailed;
  }

  /** Records the broker did not confirm, since start. */
  public long failures() {
    return failures.get();
  }

  @PreDestroy
  void close() {
    // Sends already accepted are flushed; their stages complete before this returns.
    producer.close(Duration.ofSeconds(10));
  }
}
