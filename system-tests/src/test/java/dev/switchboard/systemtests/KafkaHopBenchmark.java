package dev.switchboard.systemtests;

import dev.switchboard.devstack.KafkaBroker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What one Kafka hop costs on this machine with the devstack broker (in this JVM, like in the
 * platform's system tests): a plain producer sends one small record (a turn's event) every 5 ms, a
 * plain consumer assigned to the partition polls it, and the first 1,000 records of each round are
 * not counted; latency = received minus handed to {@code send()}, both on this JVM's monotonic
 * clock. Producer settings are the voice channel's (acks=all, idempotent) with linger.ms 0 and 1
 * (the core's), and consumer fetch settings the Kafka defaults.
 *
 * <p>Not part of the test run: {@code ./mvnw -pl system-tests verify -Dit.test=KafkaHopBenchmark}.
 */
class KafkaHopBenchmark {
  /**
   * Records per round, one every {@value #INTERVAL_MILLIS} ms; the first {@value #WARM_UP} dropped.
   */
  private static final int RECORDS = 3_000;

  private static final int WARM_UP = 1_000;
  private static final int INTERVAL_MILLIS = 5;

  @Test
  void measureHop() throws Exception {
    Path dir = Files.createTempDirectory("kafka-hop-");
    StringBuilder out = new StringBuilder();
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("hop", 1, (short) 1))).all().get();
      }
      for (int linger : new int[] {0, 1, 0}) {
        List<Long> latencies = run(broker.bootstrapServers(), linger);
        Collections.sort(latencies);
        out.append(
            String.format(
                "kafka hop linger.ms=%d: %d records, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n",
                linger,
                latencies.size(),
                latencies.get(latencies.size() / 2) / 1e6,
                latencies.get((int) (latencies.size() * 0.95)) / 1e6,
                latencies.get((int) (latencies.size() * 0.99)) / 1e6));
      }
    }
    System.out.print(out);
  }

  private static List<Long> run(String bootstrap, int lingerMs) throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    TopicPartition partition = new TopicPartition("hop", 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      Thread poller =
          new Thread(
              () -> {
                while (latencies.size() < RECORDS) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    latencies.add(System.nanoTime() - ByteBuffer.wrap(r.value()).getLong());
                  }
                }
              },
              "hop-consumer");
      poller.start();
      // Warm-up sends are measured too but dropped below (the first version sent 300 records and
      // dropped 50: its first round ran on a cold JIT).
      for (int i = 0; i < RECORDS; i++) {
        byte[] value = ByteBuffer.allocate(200).putLong(System.nanoTime()).array();
        producer.send(new ProducerRecord<>("hop", 0, null, value));
        Thread.sleep(INTERVAL_MILLIS);
      }
      poller.join(10_000);
    }
    List<Long> all = new ArrayList<>(latencies);
    return new ArrayList<>(all.subList(Math.min(WARM_UP, all.size()), all.size()));
  }
}
