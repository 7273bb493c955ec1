package dev.switchboard.core.config;

import dev.switchboard.core.conversation.InFlightTurns;
import dev.switchboard.core.conversation.RateLimiter;
import dev.switchboard.core.privacy.PhoneNumberCipher;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Beans built from configuration. */
@ApplicationScoped
public class CoreBeans {
  /** Names the executor that runs blocking database work off the Kafka and gRPC threads. */
  public static final String DATABASE_EXECUTOR = "core-database";

  /** Names the single-thread timer for model deadlines. */
  public static final String TIMER = "core-timer";

  private final ExecutorService database;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "core-timer");
            t.setDaemon(true);
            return t;
          });

  public CoreBeans(CoreConfig config) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "core-db-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // Work handed to the database threads keeps the submitter's trace context (one trace per turn).
    this.database =
        Context.taskWrapping(
            Executors.newFixedThreadPool(config.core().databaseThreads(), threads));
  }

  @Produces
  @Singleton
  PhoneNumberCipher phoneNumberCipher(CoreConfig config) {
    return new PhoneNumberCipher(config.core().phoneEncryptionKey());
  }

  @Produces
  @Named(DATABASE_EXECUTOR)
  ExecutorService databaseExecutor() {
    return database;
  }

  @Produces
  @Named(TIMER)
  ScheduledExecutorService timer() {
    return timer;
  }

  @Produces
  @Singleton
  RateLimiter rateLimiter(CoreConfig config) {
    return new RateLimiter(
        config.core().policy().messagesPerWindow(), config.core().policy().rateWindow());
  }

  @Produces
  @Singleton
  InFlightTurns inFlightTurns() {
    return new InFlightTurns();
  }

  void stop(@Observes ShutdownEvent event) {
    database.shutdown();
    timer.shutdownNow();
  }
}
