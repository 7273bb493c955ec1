package dev.switchboard.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.contracts.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DevStackTest {
  private static DevStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = DevStack.start();
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  @Test
  void createsEveryTopicWithItsPartitionCount() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
      Map<String, TopicDescription> described =
          admin
              .describeTopics(TopicPlan.topics().stream().map(TopicPlan.TopicSpec::name).toList())
              .allTopicNames()
              .get();
      for (TopicPlan.TopicSpec spec : TopicPlan.topics()) {
        assertEquals(
            spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
      }
      assertTrue(described.containsKey(Topics.deadLetterOf(Topics.INBOUND)));
    }
  }

  @Test
  void brokerAcceptsWritesWithAcksAllAndServesThemBack() throws Exception {
    String value = UUID.randomUUID().toString();
    Properties producerProps = new Properties();
    producerProps.put("bootstrap.servers", stack.kafkaBootstrapServers());
    producerProps.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.PRIVACY_ERASURE, "k", value)).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.put("bootstrap.servers", stack.kafkaBootstrapServers());
    consumerProps.put("group.id", "devstack-test");
    consumerProps.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.PRIVACY_ERASURE));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        for (var record : records) {
          seen |= record.value().equals(value);
        }
      }
      assertTrue(seen, "the record written with acks=all was read back");
    }
  }

  @Test
  void postgresAcceptsTheServiceUser() throws Exception {
    PostgresServer pg = stack.postgres();
    try (Connection connection =
            DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA probe");
      statement.execute("CREATE TABLE probe.t (id int primary key)");
      statement.execute("INSERT INTO probe.t VALUES (42)");
      try (ResultSet rs = statement.executeQuery("SELECT id, version() FROM probe.t")) {
        rs.next();
        assertEquals(42, rs.getInt(1));
        assertTrue(rs.getString(2).startsWith("PostgreSQL 17"), rs.getString(2));
      }
    }
  }
}
