package dev.switchboard.contracts.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Publishes HTTP server latency as a Prometheus histogram ({@code
 * http_server_requests_seconds_bucket}), which the latency alerts and dashboard panels in
 * deploy/monitoring aggregate across pods; Quarkus only exports count, sum and max by default.
 * Every service picks it up from this shared module (its classes are indexed for CDI).
 */
@Singleton
public class HttpServerHistograms {
  static final String HTTP_SERVER_REQUESTS = "http.server.requests";

  @Produces
  @Singleton
  MeterFilter httpServerRequestHistogram() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .build()
            .merge(config);
      }
    };
  }
}
