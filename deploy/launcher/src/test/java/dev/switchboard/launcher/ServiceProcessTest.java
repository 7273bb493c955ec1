package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness on a shared machine: another program that took the service's port and answers 200 on
 * the health path must not pass for the service.
 */
class ServiceProcessTest {
  private HttpServer portSquatter;
  private final AtomicReference<String> instanceHeader = new AtomicReference<>();
  private Process child;

  @BeforeEach
  void start() throws IOException {
    portSquatter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    portSquatter.createContext(
        "/q/health/ready",
        exchange -> {
          String value = instanceHeader.get();
          if (value != null) {
            exchange.getResponseHeaders().add(ServiceProcess.INSTANCE_HEADER, value);
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    portSquatter.start();
    // A real child process standing in for a service that has not bound its port (yet).
    child = new ProcessBuilder("sleep", "30").start();
  }

  @AfterEach
  void stop() {
    portSquatter.stop(0);
    child.destroyForcibly();
  }

  @Test
  void aHealthyAnswerFromAnotherProgramOnThePortIsNotReadiness() {
    String token = ServiceProcess.newInstanceToken();
    ServiceProcess service = new ServiceProcess(spec(), child, token);

    assertFalse(service.isReady(), "a 200 without our instance header");
    instanceHeader.set(ServiceProcess.newInstanceToken());
    assertFalse(service.isReady(), "a 200 with another instance's header");
    instanceHeader.set(token);
    assertTrue(service.isReady(), "our own instance answering");
  }

  private ServiceSpec spec() {
    return new ServiceSpec(
        "safety-review",
        "review",
        portSquatter.getAddress().getPort(),
        Map.of(),
        Map.of(),
        ServiceSpec.Role.BACKGROUND);
  }
}
