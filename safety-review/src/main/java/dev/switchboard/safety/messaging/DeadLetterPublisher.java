package dev.switchboard.safety.messaging;

import dev.switchboard.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Copies an unprocessable record to {@code <topic>.dlq} with the same headers SmallRye's
 * dead-letter strategy writes ({@code dead-letter-reason}, {@code -topic}, {@code -partition},
 * {@code -offset}), and waits for the broker's acknowledgement.
 */
@ApplicationScoped
public class DeadLetterPublisher {
  public static final String CHANNEL = "transcripts-dlq";

  private final MutinyEmitter<byte[]> emitter;

  public DeadLetterPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    record.headers().forEach(headers::add);
    headers.add("dead-letter-reason", bytes(reason));
    headers.add("dead-letter-topic", bytes(record.topic()));
    headers.add("dead-letter-partition", bytes(Integer.toString(record.partition())));
    headers.add("dead-letter-offset", bytes(Long.toString(record.offset())));
    byte[] value = record.value() == null ? new byte[0] : record.value();
    emitter.sendMessageAndAwait(
        Message.of(value)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(Topics.deadLetterOf(record.topic()))
                    .withKey(record.key())
                    .withHeaders(headers)
                    .build()));
  }

  private static byte[] bytes(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
