package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Switchboard service as the launcher runs it: its Maven module, a short name for the log, its
 * HTTP port, the system properties it is started with, the environment variables its production
 * profile reads secrets from, its JVM's heap and collector options, and how much lower than the
 * launcher's its CPU priority is ({@code niceness}, 0 to 19; 0 runs it like the launcher).
 */
public record ServiceSpec(
    String module,
    String name,
    int httpPort,
    Map<String, String> properties,
    Map<String, String> environment,
    List<String> jvmOptions,
    int niceness) {

  /** A small heap that grows on demand: services whose work is requests and events. */
  private static final List<String> SMALL_HEAP = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC");

  /**
   * Services on a call's path (the voice channel, model-adapter, the core): a collector that does
   * not stop them. The voice channel sends a packet per call every 20 ms, and a stop-the-world
   * pause stops its pacer and every turn in flight. With the serial collector and a ~17 MB young
   * generation, the voice channel paused every ~1.5 s at 200 calls (p50 18.5 ms, max 205 ms); with
   * a 224 MB young generation it paused every ~14 s, but for 20-35 ms, copying audio that lives for
   * seconds, and the slowest turns of the voice benchmark clustered at those pauses. ZGC works
   * concurrently; a fixed heap, and no proactive cycles, keep its CPU use to what allocation needs.
   */
  private static final List<String> CALL_PATH_HEAP =
      List.of("-Xms384m", "-Xmx384m", "-XX:+UseZGC", "-XX:-ZProactive");

  /**
   * What a service is to a call, which decides its JVM options and how far below the launcher's its
   * CPU priority is ({@code nice} steps): on one machine the CPU goes first to what a caller is
   * waiting on.
   */
  public enum Role {
    /** The voice channel, model-adapter and the core: a caller hears every delay. */
    CALL_PATH(CALL_PATH_HEAP, 0),
    /**
     * The WhatsApp channel: a person waits for the answer, but in seconds, not in the 20 ms of a
     * phone call's audio.
     */
    MESSAGING(SMALL_HEAP, 5),
    /**
     * Safety review: classification and the reviewers' queue work behind the conversations. On a
     * machine shared with calls, their CPU would otherwise delay the wake-ups a turn is made of.
     */
    BACKGROUND(SMALL_HEAP, 10);

    private final List<String> jvmOptions;
    private final int niceness;

    Role(List<String> jvmOptions, int niceness) {
      this.jvmOptions = jvmOptions;
      this.niceness = niceness;
    }

    public List<String> jvmOptions() {
      return jvmOptions;
    }

    public int niceness() {
      return niceness;
    }
  }

  public ServiceSpec(
      String module,
      String name,
      int httpPort,
      Map<String, String> properties,
      Map<String, String> environment,
      Role role) {
    this(module, name, httpPort, properties, environment, role.jvmOptions(), role.niceness());
  }

  public ServiceSpec {
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("niceness must be 0 to 19, not " + niceness);
    }
  }

  /** The packaged Quarkus application of this service under the project's home directory. */
  public Path runnableJar(Path home) {
    return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  public String healthUrl() {
    return "http://127.0.0.1:" + httpPort + "/q/health/ready";
  }
}
