package dev.switchboard.modeladapter.config;

import dev.switchboard.modeladapter.metrics.ModelMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the per-backend meters available for injection. */
public class MetricsProducer {

  @Produces
  @Singleton
  ModelMetrics modelMetrics(MeterRegistry registry) {
    return new ModelMetrics(registry);
  }
}
