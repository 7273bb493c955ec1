package dev.switchboard.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the channels' side of the broker in tests: produces inbound records and reads what the core
 * published. Each instance reads the given topics from their end at creation time, so tests only
 * see their own records.
 */
public final class KafkaTestClient implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  public KafkaTestClient(String bootstrap, List<String> topicsToRead) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topicsToRead) {
      consumer
          .partitionsFor(topic)
          .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }

  public RecordMetadata send(String topic, String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not produce to " + topic, e);
    }
  }

  public RecordMetadata send(String topic, int partition, String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not produce to " + topic, e);
    }
  }

  /** Waits for the first record matching {@code match}. */
  public ConsumerRecord<String, byte[]> await(
      String topic, Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : seen) {
        if (r.topic().equals(topic) && match.test(r)) {
          return r;
        }
      }
      consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }
    fail("No matching record on " + topic + " within " + timeout);
    return null;
  }

  /** The {@code OutboundEvent} with this event id on {@code topic}. */
  public ConsumerRecord<String, byte[]> awaitOutbound(
      String topic, String eventId, Duration timeout) {
    return await(
        topic,
        r -> {
          try {
            return dev.switchboard.contracts.events.OutboundEvent.parseFrom(r.value())
                .getEventId()
                .equals(eventId);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
          }
        },
        timeout);
  }

  /** Every record matching, after polling for {@code settle}. */
  public List<ConsumerRecord<String, byte[]>> all(
      String topic, Predicate<ConsumerRecord<String, byte[]>> match, Duration settle) {
    long deadline = System.nanoTime() + settle.toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }
    List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : seen) {
      if (r.topic().equals(topic) && match.test(r)) {
        matching.add(r);
      }
    }
    return matching;
  }

  /** Waits until consumer group {@code group} committed past the given record. */
  public void awaitCommitted(String group, RecordMetadata record, Duration timeout) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata committed = offsets.get(tp);
        if (committed != null && committed.offset() > record.offset()) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not read committed offsets", e);
    }
    fail("Group " + group + " did not commit past " + tp + "@" + record.offset());
  }

  @Override
  public void close() {
    producer.close();
    consumer.close();
  }
}
