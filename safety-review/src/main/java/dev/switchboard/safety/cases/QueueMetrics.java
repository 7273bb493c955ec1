package dev.switchboard.safety.cases;

import dev.switchboard.safety.persistence.CaseRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Queue depth and oldest age per queue as gauges ({@code switchboard_review_queue_open_cases},
 * {@code switchboard_review_queue_oldest_age_seconds}, the names deploy/monitoring's alert and
 * dashboard query). A snapshot is refreshed every 15 s so a scrape never queries the database.
 */
@ApplicationScoped
public class QueueMetrics {
  private final CaseRepository cases;
  private final Clock clock;
  private final MeterRegistry registry;
  private volatile Map<Queue, QueueStats> snapshot = new EnumMap<>(Queue.class);

  public QueueMetrics(CaseRepository cases, Clock clock, MeterRegistry registry) {
    this.cases = cases;
    this.clock = clock;
    this.registry = registry;
  }

  void register(@Observes StartupEvent event) {
    for (Queue q : Queue.values()) {
      Gauge.builder("switchboard.review.queue.open.cases", this, m -> m.depth(q))
          .description("Open cases in the queue")
          .tag("queue", q.name())
          .register(registry);
      Gauge.builder("switchboard.review.queue.oldest.age", this, m -> m.oldestAgeSeconds(q))
          .description("Age of the oldest open case in the queue")
          .baseUnit("seconds")
          .tag("queue", q.name())
          .register(registry);
    }
    refresh();
  }

  @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    List<QueueStats> stats =
        QuarkusTransaction.requiringNew().call(() -> cases.queueStats(Instant.now(clock)));
    Map<Queue, QueueStats> fresh = new EnumMap<>(Queue.class);
    stats.forEach(s -> fresh.put(s.queue(), s));
    snapshot = fresh;
  }

  private double depth(Queue q) {
    QueueStats s = snapshot.get(q);
    return s == null ? 0 : s.open();
  }

  private double oldestAgeSeconds(Queue q) {
    QueueStats s = snapshot.get(q);
    return s == null ? 0 : s.oldestAge(Instant.now(clock)).toSeconds();
  }
}
