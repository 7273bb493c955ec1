package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Switchboard service as the launcher runs it: its Maven module, a short name for the log, its
 * HTTP port, the system properties it is started with, and the environment variables its production
 * profile reads secrets from.
 */
public record ServiceSpec(
    String module,
    String name,
    int httpPort,
    Map<String, String> properties,
    Map<String, String> environment) {

  /** The packaged Quarkus application of this service under the project's home directory. */
  public Path runnableJar(Path home) {
    return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  public String healthUrl() {
    return "http://127.0.0.1:" + httpPort + "/q/health/ready";
  }
}
