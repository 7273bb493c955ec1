package dev.switchboard.whatsapp.messaging;

import com.google.protobuf.MessageLite;
import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.kafka.ProtobufSerializer;
import dev.switchboard.whatsapp.config.WhatsAppConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes inbound events to {@code conversation.inbound} (and replies the channel owes by itself,
 * such as "I can't open that yet", to {@code conversation.outbound.whatsapp}) with acks=all and
 * idempotence, and completes only when the broker has them. A plain producer rather than a SmallRye
 * emitter: the webhook needs a bounded wait (so it can answer 503 and let Meta redeliver) and must
 * never block the event loop on a full buffer.
 */
@ApplicationScoped
public class InboundEventPublisher {
  private final KafkaProducer<String, MessageLite> producer;
  private final TextMapPropagator propagator;

  public InboundEventPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      WhatsAppConfig config,
      OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    Duration ackTimeout = config.inbound().ackTimeout();
    long deliveryMs = Math.max(ackTimeout.toMillis(), 1_000);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "channel-whatsapp-inbound");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Webhooks arrive concurrently: a few milliseconds of linger turns many small produce requests
    // (each one a round of broker work with acks=all) into one batch per partition.
    props.put(
        ProducerConfig.LINGER_MS_CONFIG, String.valueOf(config.inbound().kafkaLinger().toMillis()));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(deliveryMs - 10));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryMs));
    // Sends run on the event loop: never wait long for metadata or buffer space there.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProtobufSerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
  }

  /** One record to write: an inbound event, or a reply the channel itself owes the person. */
  public record Outgoing(String topic, String key, MessageLite event) {
    public static Outgoing inbound(InboundEvent event) {
      return new Outgoing(Topics.INBOUND, event.getConversationId(), event);
    }

    public static Outgoing reply(OutboundEvent event) {
      return new Outgoing(Topics.OUTBOUND_WHATSAPP, event.getConversationId(), event);
    }
  }

  /** Completes when every record is acknowledged by all in-sync replicas, or fails. */
  public CompletableFuture<Void> publish(List<Outgoing> records) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
    for (int i = 0; i < records.size(); i++) {
      acks[i] = publish(records.get(i));
    }
    return CompletableFuture.allOf(acks);
  }

  private CompletableFuture<Void> publish(Outgoing record) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    try {
      ProducerRecord<String, MessageLite> kafkaRecord =
          new ProducerRecord<>(record.topic(), record.key(), record.event());
      // A plain producer is not instrumented: carry the webhook's trace context (W3C traceparent)
      // in the record headers so the consumer's work joins the same trace.
      propagator.inject(Context.current(), kafkaRecord.headers(), KafkaHeaderSetter.INSTANCE);
      producer.send(
          kafkaRecord,
          (metadata, error) -> {
            if (error == null) {
              ack.complete(null);
            } else {
              ack.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  private enum KafkaHeaderSetter implements TextMapSetter<Headers> {
    INSTANCE;

    @Override
    public void set(Headers headers, String key, String value) {
      if (headers != null) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** Fetches topic metadata at start so the first webhook does not wait for it. */
  void warmUp(@Observes StartupEvent startup) {
    Thread warm =
        new Thread(
            () -> {
              for (int attempt = 0; attempt < 30; attempt++) {
                try {
                  producer.partitionsFor(Topics.INBOUND);
                  producer.partitionsFor(Topics.OUTBOUND_WHATSAPP);
                  return;
                } catch (RuntimeException e) {
                  // Broker not reachable yet; the webhook answers 503 meanwhile.
                }
              }
            },
            "whatsapp-kafka-warmup");
    warm.setDaemon(true);
    warm.start();
  }

  void close(@Observes ShutdownEvent shutdown) {
    producer.close(Duration.ofSeconds(5));
  }
}
