package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Switchboard service as the launcher runs it: its Maven module, a short name for the log, its
 * HTTP port, the system properties it is started with, the environment variables its production
 * profile reads secrets from, and its JVM's heap and collector options.
 */
public record ServiceSpec(
    String module,
    String name,
    int httpPort,
    Map<String, String> properties,
    Map<String, String> environment,
    List<String> jvmOptions) {

  /** A small heap that grows on demand: services whose work is requests and events. */
  public static final List<String> SMALL_HEAP = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC");

  /**
   * Services on a call's path (the voice channel, model-adapter, the core). The voice channel sends
   * a packet per call every 20 ms, and a collection pause stops its pacer with every other thread;
   * model-adapter streams every caller's speech and every reply's audio. With the small heap the
   * young generation was ~17 MB: at 200 calls the voice channel collected every ~1.5 s (76 pauses
   * in two minutes, p50 18.5 ms, max 205 ms), and at 100 calls model-adapter every ~1 s and the
   * core every ~6 s (pauses of 2-16 ms). A fixed heap with a large young generation collects about
   * ten times less often; the live data is small, so each young pause stays short.
   */
  public static final List<String> CALL_PATH_HEAP =
      List.of("-Xms384m", "-Xmx384m", "-XX:+UseZGC", "-XX:-ZProactive");

  public ServiceSpec(
      String module,
      String name,
      int httpPort,
      Map<String, String> properties,
      Map<String, String> environment) {
    this(module, name, httpPort, properties, environment, SMALL_HEAP);
  }

  /** The packaged Quarkus application of this service under the project's home directory. */
  public Path runnableJar(Path home) {
    return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  public String healthUrl() {
    return "http://127.0.0.1:" + httpPort + "/q/health/ready";
  }
}
