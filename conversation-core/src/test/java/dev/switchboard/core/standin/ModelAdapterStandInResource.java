package dev.switchboard.core.standin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the {@link ModelAdapterStandIn} for a {@code @QuarkusTest}, points the core's gRPC client
 * {@code model} at it, and injects it into test fields of type {@link ModelAdapterStandIn}.
 */
public class ModelAdapterStandInResource implements QuarkusTestResourceLifecycleManager {
  private ModelAdapterStandIn standIn;

  @Override
  public Map<String, String> start() {
    try {
      standIn = ModelAdapterStandIn.start();
    } catch (Exception e) {
      throw new IllegalStateException("The model-adapter stand-in did not start", e);
    }
    String port = String.valueOf(standIn.port());
    // In test mode Quarkus dials a client's test-port instead of its port, so set both.
    return Map.of(
        "quarkus.grpc.clients.model.host", "127.0.0.1",
        "quarkus.grpc.clients.model.port", port,
        "quarkus.grpc.clients.model.test-port", port);
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(standIn, new TestInjector.MatchesType(ModelAdapterStandIn.class));
  }

  @Override
  public void stop() {
    if (standIn != null) {
      try {
        standIn.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
