package dev.switchboard.voice.standin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the {@link SpeechStandIn} and points the {@code model} gRPC client at it. */
public class SpeechStandInResource implements QuarkusTestResourceLifecycleManager {
  private static volatile SpeechStandIn current;

  /** The running stand-in (for assertions). */
  public static SpeechStandIn current() {
    return current;
  }

  @Override
  public Map<String, String> start() {
    try {
      current = new SpeechStandIn();
    } catch (Exception e) {
      throw new IllegalStateException("speech stand-in did not start", e);
    }
    return Map.of(
        "quarkus.grpc.clients.model.host", "127.0.0.1",
        "quarkus.grpc.clients.model.port", Integer.toString(current.port()),
        // In test mode Quarkus uses the client's test-port, not its port.
        "quarkus.grpc.clients.model.test-port", Integer.toString(current.port()));
  }

  @Override
  public void stop() {
    try {
      if (current != null) {
        current.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
