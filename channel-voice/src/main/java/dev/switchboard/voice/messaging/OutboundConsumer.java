package dev.switchboard.voice.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.voice.call.InviteTracing;
import dev.switchboard.voice.config.VoiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads this node's partition of {@code conversation.outbound.voice} (assigned, not subscribed: the
 * core writes replies for our calls to partition N, and no other node may take it over). Records
 * are parsed here so an unreadable one goes to the dead-letter topic instead of stalling the
 * partition; duplicates (same event id) are dropped; the router returns false for events of calls
 * this node does not hold, which are counted and dropped. Starts from the end of the partition: a
 * restarted node holds no calls.
 *
 * <p>Each record is handled inside a consumer span that continues the trace the core wrote into its
 * headers; what the call does with the command (synthesizing and playing a reply) joins that trace.
 */
@ApplicationScoped
public class OutboundConsumer {
  private static final Logger LOG = Logger.getLogger(OutboundConsumer.class);
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("switchboard.outcome");

  private final String bootstrapServers;
  private final VoiceConfig config;
  private final InboundPublisher publisher;
  private final Counter unknownCall;
  private final Counter duplicates;
  private final Counter deadLettered;
  private final Map<String, Boolean> seen;
  private final MeterRegistry metrics;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private volatile boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaClientMetrics consumerMetrics;
  private Thread thread;

  public OutboundConsumer(
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers,
      VoiceConfig config,
      InboundPublisher publisher,
      MeterRegistry metrics,
      OpenTelemetry openTelemetry) {
    this.bootstrapServers = bootstrapServers;
    this.tracer = openTelemetry.getTracer(InviteTracing.INSTRUMENTATION);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.config = config;
    this.publisher = publisher;
    this.metrics = metrics;
    this.unknownCall =
        metrics.counter("switchboard.voice.outbound.dropped", "reason", "unknown_call");
    this.duplicates = metrics.counter("switchboard.voice.outbound.dropped", "reason", "duplicate");
    this.deadLettered =
        metrics.counter("switchboard.voice.outbound.dropped", "reason", "unparseable");
    int window = config.conversation().dedupeWindow();
    this.seen =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > window;
          }
        };
  }

  /** Assigns the partition, fixes the start position, and polls on a thread of its own. */
  public synchronized void start(Predicate<OutboundEvent> router) {
    if (running) {
      return;
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "channel-voice-" + config.nodeName());
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    // This plain client is outside Quarkus's Kafka binder: bind it here so its lag
    // (kafka_consumer_fetch_manager_records_lag_max) reaches the consumer lag alert.
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(metrics);
    TopicPartition partition = new TopicPartition(Topics.OUTBOUND_VOICE, config.nodeNumber());
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    long from = consumer.position(partition, Duration.ofSeconds(30));
    running = true;
    thread = new Thread(() -> poll(router), "voice-outbound-" + config.nodeNumber());
    thread.setDaemon(true);
    thread.start();
    LOG.infof(
        "Reading %s partition %d from offset %d", partition.topic(), partition.partition(), from);
  }

  private void poll(Predicate<OutboundEvent> router) {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handleTraced(record, router);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumerMetrics.close();
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Handles one record inside a consumer span continuing the producer's trace. */
  private void handleTraced(
      ConsumerRecord<String, byte[]> record, Predicate<OutboundEvent> router) {
    Context parent = propagator.extract(Context.root(), record.headers(), KafkaTraceHeaders.GETTER);
    Span span =
        tracer
            .spanBuilder(record.topic() + " process")
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.destination.name", record.topic())
            .setAttribute("messaging.operation.type", "process")
            .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
            .setAttribute("messaging.kafka.offset", record.offset())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      String outcome = handle(record, router);
      span.setAttribute(OUTCOME, outcome);
      if (outcome.equals("dead_lettered") || outcome.equals("failed")) {
        span.setStatus(StatusCode.ERROR, outcome);
      }
    } finally {
      span.end();
    }
  }

  /** What became of the record: routed, duplicate, unknown_call, dead_lettered or failed. */
  private String handle(ConsumerRecord<String, byte[]> record, Predicate<OutboundEvent> router) {
    OutboundEvent event;
    try {
      event = OutboundEvent.parseFrom(record.value() == null ? new byte[0] : record.value());
    } catch (InvalidProtocolBufferException e) {
      deadLetter(record, "unparseable OutboundEvent: " + e.getMessage());
      return "dead_lettered";
    }
    if (event.getEventId().isEmpty()
        || event.getPayloadCase() == OutboundEvent.PayloadCase.PAYLOAD_NOT_SET) {
      deadLetter(record, "OutboundEvent without event_id or payload");
      return "dead_lettered";
    }
    Span.current()
        .setAttribute(
            InboundPublisher.EVENT_KIND, event.getPayloadCase().name().toLowerCase(Locale.ROOT));
    synchronized (seen) {
      if (seen.put(event.getEventId(), Boolean.TRUE) != null) {
        duplicates.increment();
        return "duplicate";
      }
    }
    try {
      if (!router.test(event)) {
        unknownCall.increment();
        LOG.debugf("Dropped %s: no such call on this node", event.getEventId());
        return "unknown_call";
      }
      return "routed";
    } catch (RuntimeException e) {
      Span.current().recordException(e);
      LOG.errorf(e, "Handling %s failed", event.getEventId());
      return "failed";
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    deadLettered.increment();
    LOG.warnf("Dead-lettering record at offset %d: %s", record.offset(), reason);
    publisher.deadLetter(record.topic(), record.key(), record.value(), reason);
  }

  /** Stops polling (the consumer closes on its own thread). */
  @PreDestroy
  public synchronized void stop() {
    if (running) {
      running = false;
      consumer.wakeup();
    }
  }
}
