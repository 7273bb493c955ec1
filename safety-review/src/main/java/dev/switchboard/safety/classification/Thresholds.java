package dev.switchboard.safety.classification;

import dev.switchboard.safety.config.SafetyConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Effective per-category thresholds: an admin's override from the database, else the configured
 * one, else the default. Overrides are cached and re-read every 30 seconds, so every replica picks
 * up an admin's change shortly.
 */
@ApplicationScoped
public class Thresholds {
  private static final long REFRESH_MILLIS = 30_000;

  private final SafetyConfig config;
  private final EntityManager em;
  private final Clock clock;
  private volatile Map<String, Double> overrides = Map.of();
  private volatile long loadedAt = Long.MIN_VALUE;

  public Thresholds(SafetyConfig config, EntityManager em, Clock clock) {
    this.config = config;
    this.em = em;
    this.clock = clock;
  }

  public double of(String category) {
    refreshIfStale();
    Double override = overrides.get(category);
    if (override != null) {
      return override;
    }
    return config.classification().thresholds().getOrDefault(category, defaultThreshold());
  }

  public double defaultThreshold() {
    return config.classification().defaultThreshold();
  }

  public CategoryPolicy policy() {
    return new CategoryPolicy(this::of, new HashSet<>(config.classification().severeCategories()));
  }

  /** Every category with a configured or overridden threshold, for the admin page. */
  public Map<String, Double> effective() {
    refreshIfStale();
    Map<String, Double> all = new TreeMap<>(config.classification().thresholds());
    all.putAll(overrides);
    return all;
  }

  public void set(String category, double threshold, String admin) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into safety.category_threshold (category, threshold, updated_by,"
                            + " updated_at) values (?1, ?2, ?3, ?4) on conflict (category) do"
                            + " update set threshold = excluded.threshold, updated_by ="
                            + " excluded.updated_by, updated_at = excluded.updated_at")
                    .setParameter(1, category)
                    .setParameter(2, (float) threshold)
                    .setParameter(3, admin)
                    .setParameter(4, java.sql.Timestamp.from(Instant.now(clock)))
                    .executeUpdate());
    loadedAt = Long.MIN_VALUE;
  }

  private void refreshIfStale() {
    long now = System.currentTimeMillis();
    if (now - loadedAt < REFRESH_MILLIS) {
      return;
    }
    Map<String, Double> fresh = new ConcurrentHashMap<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery("select category, threshold from safety.category_threshold")
                      .getResultList();
              for (Object[] row : rows) {
                fresh.put((String) row[0], ((Number) row[1]).doubleValue());
              }
            });
    overrides = fresh;
    loadedAt = now;
  }
}
