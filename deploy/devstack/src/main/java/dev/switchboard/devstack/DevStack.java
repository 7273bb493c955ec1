package dev.switchboard.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The infrastructure Switchboard needs on one machine: a real Kafka broker with every topic
 * created, and a real PostgreSQL database. Used by the launcher and by tests.
 */
public final class DevStack implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DevStack.class.getName());

  private final Path dataDir;
  private final KafkaBroker kafka;
  private final PostgresServer postgres;

  private DevStack(Path dataDir, KafkaBroker kafka, PostgresServer postgres) {
    this.dataDir = dataDir;
    this.kafka = kafka;
    this.postgres = postgres;
  }

  /** Starts Kafka and PostgreSQL with fresh data under a new temporary directory. */
  public static DevStack start() throws Exception {
    return start(Files.createTempDirectory("switchboard-devstack-"));
  }

  /** Starts Kafka and PostgreSQL with fresh data under {@code dataDir}. */
  public static DevStack start(Path dataDir) throws Exception {
    long started = System.nanoTime();
    PostgresServer postgres = PostgresServer.start(dataDir, randomSecret());
    KafkaBroker kafka;
    try {
      kafka = KafkaBroker.start(dataDir);
      createTopics(kafka.bootstrapServers(), TopicPlan.topics());
    } catch (Exception e) {
      postgres.close();
      throw e;
    }
    LOG.info(
        () ->
            String.format(
                "Dev stack up in %d ms: Kafka %s, PostgreSQL %s",
                (System.nanoTime() - started) / 1_000_000,
                kafka.bootstrapServers(),
                postgres.jdbcUrl()));
    return new DevStack(dataDir, kafka, postgres);
  }

  private static void createTopics(String bootstrapServers, List<TopicPlan.TopicSpec> topics)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<NewTopic> newTopics =
          topics.stream()
              .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
              .toList();
      admin.createTopics(newTopics).all().get();
    }
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The configuration a Quarkus service needs to use this stack. */
  public Map<String, String> quarkusConfig() {
    return Map.of(
        "kafka.bootstrap.servers", kafka.bootstrapServers(),
        "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
        "quarkus.datasource.username", postgres.user(),
        "quarkus.datasource.password", postgres.password());
  }

  @Override
  public void close() throws IOException {
    try {
      kafka.close();
    } finally {
      postgres.close();
    }
  }
}
