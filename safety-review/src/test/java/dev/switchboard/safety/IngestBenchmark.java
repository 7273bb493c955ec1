package dev.switchboard.safety;

import dev.switchboard.contracts.Topics;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingest throughput: TranscriptTurn records on the real broker → parse → redact → AES-GCM → store
 * in PostgreSQL → Moderation.Classify over gRPC (rules stand-in) → scores and cases. Not part of
 * the normal test run (the class name does not end in Test); run it with {@code
 * -Dtest=IngestBenchmark}.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelGatewayStandIn.class)
class IngestBenchmark {
  private static final int WARMUP = 2_000;
  private static final int TURNS = Integer.getInteger("bench.turns", 20_000);
  private static final int CONVERSATIONS = 2_000;

  private static final String[] TEXTS = {
    "Hi, can you help me plan a trip to Lisbon next month?",
    "What's a good recipe for a quick vegetarian dinner?",
    "Please call me back at +1 415 555 0132 tomorrow morning.",
    "my email is jane.doe@example.com, send me the summary",
    "it's four one five, five five five, zero one three two",
    "I paid with 4111 1111 1111 1111 and it failed, order 4111111111111112",
    "Explain how photosynthesis works in simple words.",
    "I hate you",
    "Translate 'good morning' into Portuguese and Spanish.",
    "What time is it in Tokyo when it is noon in London?"
  };

  @Test
  void ingestThroughput() {
    run("warmup", WARMUP);
    double perSecond = run("measured", TURNS);
    System.out.printf(
        "%nmetric: safety.ingest_turns_per_second = %.0f turns/s (%d turns, %d conversations)%n",
        perSecond, TURNS, CONVERSATIONS);
  }

  private double run(String label, int turns) {
    String prefix = "bench-" + UUID.randomUUID() + "-";
    long start = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < turns; i++) {
        String conversation = prefix + (i % CONVERSATIONS);
        var turn =
            TestTurns.turn(
                conversation,
                i / CONVERSATIONS,
                "subj-bench-" + (i % CONVERSATIONS),
                TEXTS[i % TEXTS.length],
                "Here is a helpful answer with a few sentences of text.");
        producer.send(
            new ProducerRecord<>(Topics.SAFETY_TRANSCRIPTS, conversation, turn.toByteArray()));
      }
    }
    long classified = 0;
    while (classified < turns) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      classified =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      ((Number)
                              io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                                  .createNativeQuery(
                                      "select count(*) from safety.transcript_turn where"
                                          + " conversation_id like ?1 and classified_at is not null")
                                  .setParameter(1, prefix + "%")
                                  .getSingleResult())
                          .longValue());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = turns / seconds;
    System.out.printf(
        "%s: %d turns stored and classified in %.2f s = %.0f turns/s%n",
        label, turns, seconds, perSecond);
    return perSecond;
  }
}
