package dev.switchboard.voice.messaging;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.kafka.ProtobufSerializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
 */
@ApplicationScoped
public class InboundPublisher {
  private static final Logger LOG = Logger.getLogger(InboundPublisher.class);
  public static final String DEAD_LETTER_REASON = "dead-letter-reason";

  private final String bootstrapServers;
  private final AtomicLong failures = new AtomicLong();
  private volatile KafkaProducer<String, byte[]> producer;

  public InboundPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Publishes one event; failures are logged with the event id and counted, never thrown. */
  public void publish(InboundEvent event) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.INBOUND, event.getConversationId(), event.toByteArray());
    record
        .headers()
        .add(
            ProtobufSerializer.CONTENT_TYPE_HEADER,
            ProtobufSerializer.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
    producer()
        .send(
            record,
            (meta, error) -> {
              if (error != null) {
                failures.incrementAndGet();
                LOG.errorf("Could not publish %s: %s", event.getEventId(), error.getMessage());
              }
            });
  }

  /** Sends an unreadable record to {@code <topic>.dlq} with the reason in a header. */
  public void deadLetter(String topic, String key, byte[] value, String reason) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.deadLetterOf(topic), key, value);
    record.headers().add(DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
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
