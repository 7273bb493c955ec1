package dev.switchboard.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the real Kafka broker and PostgreSQL of the dev stack. One stack is
 * shared by every test class in the JVM and stopped when the JVM exits.
 *
 * <p>Use it with {@code @WithTestResource(DevStackTestResource.class)}.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {
  private static DevStack shared;

  /** The stack shared by this JVM's tests, started on first use. */
  public static synchronized DevStack sharedStack() {
    if (shared == null) {
      try {
        shared = DevStack.start();
      } catch (Exception e) {
        throw new IllegalStateException("The dev stack (Kafka, PostgreSQL) did not start", e);
      }
      DevStack stack = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      stack.close();
                    } catch (Exception ignored) {
                      // The JVM is exiting; nothing left to tell.
                    }
                  },
                  "devstack-shutdown"));
    }
    return shared;
  }

  @Override
  public Map<String, String> start() {
    return sharedStack().quarkusConfig();
  }

  @Override
  public void stop() {
    // Shared across test classes; stopped by the shutdown hook.
  }
}
