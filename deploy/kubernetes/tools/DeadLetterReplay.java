/*
 * Replays a dead-letter topic onto its source topic, byte for byte.
 *
 * Why not kafka-console-consumer | kafka-console-producer: our payloads are binary protobuf and the
 * console tools are line-and-text based, so they corrupt values and drop headers (the W3C trace
 * context among them). This program uses only kafka-clients, which every Kafka image ships, and
 * runs as a single source file (Java 17+):
 *
 *   java -cp "/opt/kafka/libs/*" DeadLetterReplay.java \
 *     --bootstrap-server switchboard-kafka-bootstrap:9093 --command-config /tmp/client.properties \
 *     --from conversation.inbound.dlq --group switchboard-ops-replay-20260126 [--keep-partition] [--dry-run]
 *
 * What it does:
 * - reads --from with consumer group --group (commits after each produced batch, so a rerun with
 *   the same group continues where the last one stopped and never replays a record twice);
 * - stops at the end offsets it saw when it started, so records dead-lettered again while it runs
 *   are not looped back forever;
 * - writes each record to the source topic (--to, default: --from without ".dlq") with the same
 *   key, value and headers, minus the dead-letter-* headers, plus "replayed-from" =
 *   topic:partition:offset; acks=all and idempotence on;
 * - --keep-partition writes to the partition named in the dead-letter-partition header (needed for
 *   conversation.outbound.voice, where the partition is the voice node); otherwise the key picks
 *   the partition as it did originally;
 * - --dry-run prints what it would replay (partition, offset, key length, reason) and commits nothing.
 *
 * Delivery is at least once; consumers absorb duplicates by event_id (ARCHITECTURE.md section 2).
 */

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class DeadLetterReplay {
  private static final String DLQ_SUFFIX = ".dlq";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    String from = required(options, "from");
    if (!from.endsWith(DLQ_SUFFIX) && !options.containsKey("to")) {
      fail("--from " + from + " is not a dead-letter topic; give --to explicitly");
    }
    String to = options.getOrDefault("to", from.substring(0, from.length() - DLQ_SUFFIX.length()));
    String group = required(options, "group");
    boolean dryRun = options.containsKey("dry-run");
    boolean keepPartition = options.containsKey("keep-partition");

    Properties common = new Properties();
    if (options.containsKey("command-config")) {
      try (InputStream in = new FileInputStream(options.get("command-config"))) {
        common.load(in);
      }
    }
    common.put("bootstrap.servers", required(options, "bootstrap-server"));

    Properties consumerConfig = new Properties();
    consumerConfig.putAll(common);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

    Properties producerConfig = new Properties();
    producerConfig.putAll(common);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

    long replayed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(from).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset != null) {
          consumer.seek(partition, offset.offset());
        } else {
          consumer.seekToBeginning(List.of(partition));
        }
      }
      while (!caughtUp(consumer, end)) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofSeconds(1));
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(partition)) {
            continue;
          }
          String reason = header(record, "dead-letter-reason");
          if (dryRun) {
            System.out.printf(
                "would replay %s:%d:%d key=%d bytes value=%d bytes reason=%s%n",
                record.topic(), record.partition(), record.offset(),
                record.key() == null ? 0 : record.key().length,
                record.value() == null ? 0 : record.value().length, reason);
          } else {
            producer.send(replayOf(record, to, keepPartition));
          }
          done.put(partition, new OffsetAndMetadata(record.offset() + 1));
          replayed++;
        }
        if (!dryRun && !done.isEmpty()) {
          producer.flush();
          consumer.commitSync(done);
        }
      }
    }
    System.out.printf("%s %d record(s) from %s to %s%n", dryRun ? "would replay" : "replayed", replayed, from, to);
  }

  private static ProducerRecord<byte[], byte[]> replayOf(
      ConsumerRecord<byte[], byte[]> record, String to, boolean keepPartition) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().startsWith("dead-letter-")) {
        headers.add(header);
      }
    }
    String origin = record.topic() + ":" + record.partition() + ":" + record.offset();
    headers.add("replayed-from", origin.getBytes(StandardCharsets.UTF_8));
    Integer partition = null;
    if (keepPartition) {
      String original = header(record, "dead-letter-partition");
      if (original == null) {
        fail(origin + " has no dead-letter-partition header; cannot --keep-partition");
      }
      partition = Integer.valueOf(original.trim());
    }
    return new ProducerRecord<>(to, partition, record.key(), record.value(), headers);
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    List<String> flags = new ArrayList<>(List.of("dry-run", "keep-partition"));
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        fail("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (flags.contains(name)) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        fail("--" + name + " needs a value");
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      fail("--" + name + " is required");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("DeadLetterReplay: " + message);
    System.exit(2);
  }

  private DeadLetterReplay() {}
}
