package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.devstack.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's replay tool (deploy/kubernetes/tools/DeadLetterReplay.java), run exactly as an
 * operator runs it (a JVM launching the single source file), against a real Kafka broker: binary
 * values, keys and trace headers survive, dead-letter headers go, reruns replay nothing twice.
 */
class DeadLetterReplayTest {
  private static final String SOURCE = "conversation.inbound";
  private static final String DLQ = SOURCE + ".dlq";
  private static final String VOICE = "conversation.outbound.voice";

  @TempDir static Path data;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(data);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(SOURCE, 4, (short) 1),
                  new NewTopic(DLQ, 1, (short) 1),
                  new NewTopic(VOICE, 4, (short) 1),
                  new NewTopic(VOICE + ".dlq", 1, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void replaysBinaryRecordsWithTheirHeadersOnceAndOnlyOnce() throws Exception {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    List<byte[]> values = List.of(everyByte, new byte[] {0x0a, 0x00, 0x0d, 0x0a}, new byte[0]);
    for (int i = 0; i < values.size(); i++) {
      deadLetter(DLQ, "wa:subject-" + i, values.get(i), null);
    }
    String group = "switchboard-ops-replay-" + UUID.randomUUID();

    Processes.Result first = replay("--from", DLQ, "--group", group);
    assertEquals(0, first.exitCode(), first::describe);
    assertTrue(first.stdout().contains("replayed 3 record(s)"), first::describe);

    List<ConsumerRecord<byte[], byte[]>> replayed = readAll(SOURCE, 3);
    assertEquals(3, replayed.size());
    for (ConsumerRecord<byte[], byte[]> record : replayed) {
      int i =
          Integer.parseInt(
              new String(record.key(), StandardCharsets.UTF_8).replace("wa:subject-", ""));
      assertArrayEquals(values.get(i), record.value(), "value bytes of record " + i);
      assertEquals("00-trace-" + i, header(record, "traceparent"));
      assertEquals("application/x-protobuf", header(record, "content-type"));
      assertNull(header(record, "dead-letter-reason"), "dead-letter headers are dropped");
      assertTrue(header(record, "replayed-from").startsWith(DLQ + ":0:"));
    }

    Processes.Result again = replay("--from", DLQ, "--group", group);
    assertTrue(again.stdout().contains("replayed 0 record(s)"), again::describe);

    deadLetter(DLQ, "wa:subject-late", new byte[] {1, 2, 3}, null);
    Processes.Result later = replay("--from", DLQ, "--group", group);
    assertTrue(later.stdout().contains("replayed 1 record(s)"), later::describe);
  }

  @Test
  void voiceRecordsGoBackToTheNodePartitionTheyCameFrom() throws Exception {
    deadLetter(VOICE + ".dlq", "call:abc", new byte[] {9, 9}, "3");
    Processes.Result result =
        replay(
            "--from",
            VOICE + ".dlq",
            "--group",
            "switchboard-ops-" + UUID.randomUUID(),
            "--keep-partition");
    assertEquals(0, result.exitCode(), result::describe);
    List<ConsumerRecord<byte[], byte[]>> replayed = readAll(VOICE, 1);
    assertEquals(1, replayed.size());
    assertEquals(3, replayed.get(0).partition());
  }

  @Test
  void dryRunReplaysNothingAndNamesTheReason() throws Exception {
    String dlq = "privacy.erasure.dlq";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(dlq, 1, (short) 1), new NewTopic("privacy.erasure", 1, (short) 1)))
          .all()
          .get();
    }
    deadLetter(dlq, "subject", new byte[] {7}, null);
    Processes.Result dry = replay("--from", dlq, "--group", "switchboard-ops-dry", "--dry-run");
    assertTrue(dry.stdout().contains("reason=unparseable protobuf"), dry::describe);
    assertTrue(dry.stdout().contains("would replay 1 record(s)"), dry::describe);
    assertEquals(0, readAll("privacy.erasure", 0).size());
  }

  private static Processes.Result replay(String... args) throws Exception {
    Path tool = DeployTree.kubernetes().resolve("tools/DeadLetterReplay.java");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(tool.toString());
    command.add("--bootstrap-server");
    command.add(broker.bootstrapServers());
    command.addAll(List.of(args));
    return Processes.run(tool.getParent(), command);
  }

  private static void deadLetter(String topic, String key, byte[] value, String partition)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      RecordHeaders headers = new RecordHeaders();
      String n = key.replaceAll(".*-", "");
      headers.add("traceparent", ("00-trace-" + n).getBytes(StandardCharsets.UTF_8));
      headers.add("content-type", "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
      headers.add("dead-letter-reason", "unparseable protobuf".getBytes(StandardCharsets.UTF_8));
      headers.add("dead-letter-topic", topic.replace(".dlq", "").getBytes(StandardCharsets.UTF_8));
      if (partition != null) {
        headers.add("dead-letter-partition", partition.getBytes(StandardCharsets.UTF_8));
      }
      producer
          .send(
              new ProducerRecord<>(
                  topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers))
          .get();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "check-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(expected == 0 ? 3 : 20);
      while (Instant.now().isBefore(deadline) && (expected == 0 || records.size() < expected)) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
