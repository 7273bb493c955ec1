package dev.switchboard.core;

import dev.switchboard.contracts.Topics;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.core.standin.ModelAdapterStandInResource;
import dev.switchboard.devstack.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire does not pick up {@code *Benchmark} by default). Run with
 *
 * <pre>./mvnw -B -pl conversation-core -am verify -Dspotless.check.skip=true \
 *   -Dtest=CoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * N voice conversations run a closed loop (say something, wait for the last reply chunk, say the
 * next thing) against the real broker and database, with the zero-latency model stand-in. Added
 * latency = broker timestamp of the first reply chunk minus broker timestamp of the inbound event
 * (both CreateTime, stamped by the producers on this machine), i.e. one Kafka hop in plus all of
 * the core's work (dedupe check, person/conversation upsert, history read, gRPC call, turn commit)
 * until the chunk is handed to its producer.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ModelAdapterStandInResource.class)
class CoreBenchmark {

  @Test
  void measure() throws Exception {
    String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    // Steady state, not start-up: the JIT compiles the hot paths of the service, the Kafka clients
    // and the broker during about 8,000 turns of warm-up at the same shapes as the measured runs.
    run(bootstrap, 100, 40, 0, "warm-up-100");
    run(bootstrap, 1000, 4, 0, "warm-up-1000");
    List<String> results = new ArrayList<>();
    results.add(run(bootstrap, 1, 300, 0, "1"));
    results.add(run(bootstrap, 100, 60, 0, "100"));
    results.add(run(bootstrap, 1000, 8, 0, "1000"));
    // 100 conversations at a person's pace: each says the next thing one second after the reply
    // ended. The closed loops above measure saturation (their latency is queueing: Little's law);
    // this one measures what the core adds when 100 conversations are live but it is not saturated.
    // Its own warm-up first: the paced shape runs code paths (a lone turn per group, idle
    // consumers) that the closed loops did not make hot, and the JIT was still compiling them.
    run(bootstrap, 100, 5, 1000, "warm-up-paced");
    results.add(run(bootstrap, 100, 20, 1000, "100-paced-1s"));
    System.out.println("BENCHMARK RESULTS");
    results.forEach(System.out::println);
    printTableScans();
  }

  @jakarta.inject.Inject javax.sql.DataSource dataSource;

  /**
   * How PostgreSQL reached the core's tables during the whole benchmark: rows read by sequential
   * scans grow with the tables, index scans do not. Printed for diagnosis only.
   */
  private void printTableScans() throws Exception {
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "select relname, seq_scan, seq_tup_read, idx_scan, n_live_tup, n_dead_tup,"
                    + " autovacuum_count, autoanalyze_count from pg_stat_user_tables where"
                    + " schemaname = 'core' order by relname")) {
      while (rs.next()) {
        System.out.printf(
            "BENCH-DB table=%s seq_scan=%d seq_tup_read=%d idx_scan=%d live=%d dead=%d"
                + " autovacuum=%d autoanalyze=%d%n",
            rs.getString(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getLong(6),
            rs.getLong(7),
            rs.getLong(8));
      }
    }
  }

  private String run(String bootstrap, int conversations, int turnsEach, long thinkMs, String label)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(Topics.OUTBOUND_VOICE)
          .forEach(i -> partitions.add(new TopicPartition(Topics.OUTBOUND_VOICE, i.partition())));
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);

      String run = Long.toHexString(System.nanoTime());
      Map<String, String> phones = new HashMap<>();
      Map<String, Integer> nextTurn = new HashMap<>();
      // Broker timestamps of each inbound event (from the producer's callback) and of its first
      // reply chunk (from the consumer). Either can arrive first under load, so they are paired
      // only at the end.
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      Map<String, Long> firstChunkAt = new HashMap<>();
      Set<String> pending = new HashSet<>();
      List<Exception> sendFailures = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < conversations; i++) {
        String callId = run + "-" + i;
        phones.put(callId, InboundEvents.randomE164());
        nextTurn.put(callId, 1);
      }
      long started = System.nanoTime();
      long[] cpuBefore = machineCpuTicks();
      long jvmCpuBefore = jvmCpuNanos();
      long dbCpuBefore = postgresCpuTicks();
      // Conversations waiting to say their next thing: call id -> when (nanoTime).
      PriorityQueue<Map.Entry<Long, String>> due = new PriorityQueue<>(Map.Entry.comparingByKey());
      Random random = new Random(42);
      for (String callId : phones.keySet()) {
        if (thinkMs == 0) {
          pending.add(send(producer, phones.get(callId), callId, 1, sentAt, sendFailures));
        } else {
          // Spread the first utterances over one think time instead of all at once.
          long offset = (long) (random.nextDouble() * thinkMs * 1_000_000L);
          due.add(Map.entry(started + offset, callId));
        }
      }
      int done = 0;
      int total = conversations * turnsEach;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (done < total && System.nanoTime() < deadline && sendFailures.isEmpty()) {
        while (!due.isEmpty() && due.peek().getKey() <= System.nanoTime()) {
          String callId = due.poll().getValue();
          pending.add(
              send(
                  producer,
                  phones.get(callId),
                  callId,
                  nextTurn.get(callId),
                  sentAt,
                  sendFailures));
        }
        for (ConsumerRecord<String, byte[]> r :
            consumer.poll(Duration.ofMillis(thinkMs == 0 ? 5 : 1))) {
          OutboundEvent event = OutboundEvent.parseFrom(r.value());
          if (!event.hasReplyChunk()) {
            continue;
          }
          String inReplyTo = event.getReplyChunk().getInReplyTo();
          if (!pending.contains(inReplyTo)) {
            continue;
          }
          if (event.getReplyChunk().getIndex() == 0) {
            firstChunkAt.put(inReplyTo, r.timestamp());
          }
          if (event.getReplyChunk().getLast()) {
            pending.remove(inReplyTo);
            done++;
            String callId = event.getConversationId().substring("call:".length());
            int n = nextTurn.merge(callId, 1, Integer::sum);
            if (n <= turnsEach && thinkMs == 0) {
              pending.add(send(producer, phones.get(callId), callId, n, sentAt, sendFailures));
            } else if (n <= turnsEach) {
              due.add(Map.entry(System.nanoTime() + thinkMs * 1_000_000L, callId));
            }
          }
        }
      }
      if (!sendFailures.isEmpty()) {
        throw new IllegalStateException("the load generator could not send", sendFailures.get(0));
      }
      List<Long> latencies = new ArrayList<>();
      firstChunkAt.forEach(
          (eventId, chunkAt) -> {
            Long in = sentAt.get(eventId);
            if (in != null) {
              latencies.add(chunkAt - in);
            }
          });
      double seconds = (System.nanoTime() - started) / 1e9;
      long[] cpuAfter = machineCpuTicks();
      double jvmCpuMs = (jvmCpuNanos() - jvmCpuBefore) / 1e6;
      double dbCpuMs = (postgresCpuTicks() - dbCpuBefore) * 10.0;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      String line =
          String.format(
              "conversations=%s turns=%d/%d seconds=%.2f turns_per_s=%.1f added_ms p50=%d p95=%d"
                  + " p99=%d max=%d machine_cpu_busy=%.0f%% cpu_ms_per_turn=%.2f"
                  + " jvm_cpu_ms_per_turn=%.2f db_cpu_ms_per_turn=%.2f",
              label,
              done,
              total,
              seconds,
              done / seconds,
              pct(sorted, 0.50),
              pct(sorted, 0.95),
              pct(sorted, 0.99),
              sorted.length == 0 ? -1 : sorted[sorted.length - 1],
              busyPercent(cpuBefore, cpuAfter),
              cpuMsPerTurn(cpuBefore, cpuAfter, done),
              done == 0 ? -1 : jvmCpuMs / done,
              done == 0 ? -1 : dbCpuMs / done);
      System.out.println("BENCH " + line);
      return line;
    }
  }

  /** Sends one utterance; returns its event id. */
  private static String send(
      KafkaProducer<String, byte[]> producer,
      String phone,
      String callId,
      int n,
      Map<String, Long> sentAt,
      List<Exception> failures) {
    InboundEvent e = InboundEvents.utterance(phone, callId, n, "hello number " + n);
    producer.send(
        new ProducerRecord<>(Topics.INBOUND, e.getConversationId(), e.toByteArray()),
        (metadata, failure) -> {
          if (failure == null) {
            sentAt.put(e.getEventId(), metadata.timestamp());
          } else {
            failures.add(failure);
          }
        });
    return e.getEventId();
  }

  /**
   * Busy and total CPU ticks of the whole machine (first line of /proc/stat): the broker, the
   * database, the service and this load generator all share it, so CPU per turn is the cost of
   * everything a turn makes happen on the box. Zeros where /proc is missing.
   */
  private static long[] machineCpuTicks() {
    try {
      String[] f =
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
              .get(0)
              .trim()
              .split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** CPU time of this JVM: broker, service and load generator together. */
  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU ticks (utime + stime) of the devstack PostgreSQL: its postmaster (found by the port in its
   * command line) and the backends it forked. The pool keeps its connections, so their backends
   * live through the run.
   */
  private static long postgresCpuTicks() {
    String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    String port = url.replaceAll(".*:(\\d+)/.*", "$1");
    try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      List<String[]> stats = new ArrayList<>();
      String postmaster = null;
      for (java.nio.file.Path proc : procs.toList()) {
        String pid = proc.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = java.nio.file.Files.readString(proc.resolve("stat"));
          if (!stat.contains("(postgres)")) {
            continue;
          }
          // Fields after the command name: state ppid ... utime(12th) stime(13th).
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          stats.add(new String[] {pid, f[1], f[11], f[12]});
          String cmdline =
              new String(java.nio.file.Files.readAllBytes(proc.resolve("cmdline")))
                  .replace('\0', ' ');
          if (cmdline.contains("-p " + port + " ") || cmdline.endsWith("-p " + port)) {
            postmaster = pid;
          }
        } catch (java.io.IOException | RuntimeException gone) {
          // The process ended while we looked.
        }
      }
      long ticks = 0;
      for (String[] s : stats) {
        if (s[0].equals(postmaster) || s[1].equals(postmaster)) {
          ticks += Long.parseLong(s[2]) + Long.parseLong(s[3]);
        }
      }
      return ticks;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static double busyPercent(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total == 0 ? -1 : 100.0 * (after[0] - before[0]) / total;
  }

  /** Busy CPU of the machine per completed turn, in ms (USER_HZ = 100 ticks per second). */
  private static double cpuMsPerTurn(long[] before, long[] after, int turns) {
    return turns == 0 ? -1 : (after[0] - before[0]) * 10.0 / turns;
  }

  private static long pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  @SuppressWarnings("unused")
  private static String join(long[] values) {
    return Arrays.toString(values);
  }
}
