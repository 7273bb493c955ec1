package dev.switchboard.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A running service: its OS process, its log pump, how to ask whether it is ready, and how to start
 * it again the same way after it stopped or was killed.
 *
 * <p>Each process gets a random instance token that it echoes in an {@value #INSTANCE_HEADER}
 * response header (Quarkus {@code quarkus.http.header}). Readiness counts only answers that carry
 * it: on a shared machine another program can take a "free" port between the launcher choosing it
 * and the service binding it, and that program's 200 must not pass for our service being ready.
 */
final class ServiceProcess implements AutoCloseable {
  static final String INSTANCE_HEADER = "X-Switchboard-Instance";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ServiceSpec spec;
  private final Process process;
  private final String instanceToken;
  private final Launch launch;

  /** How the launcher started the process, so it can start it again the same way. */
  private record Launch(
      Path home, Path logDir, PrintStream console, Map<String, String> runEnvironment) {}

  /** A process the launcher did not start itself: it can be watched and stopped, not restarted. */
  ServiceProcess(ServiceSpec spec, Process process, String instanceToken) {
    this(spec, process, instanceToken, null);
  }

  private ServiceProcess(ServiceSpec spec, Process process, String instanceToken, Launch launch) {
    this.spec = spec;
    this.process = process;
    this.instanceToken = instanceToken;
    this.launch = launch;
  }

  /** Variables that choose providers or carry secrets: a child sees only the run's own values. */
  private static final List<String> RUN_SCOPED_PREFIXES =
      List.of("OPENAI_", "WHATSAPP_", "SWITCHBOARD_");

  static ServiceProcess start(
      ServiceSpec spec,
      Path home,
      Path logDir,
      PrintStream console,
      Map<String, String> runEnvironment)
      throws IOException {
    return start(spec, home, logDir, console, Map.copyOf(runEnvironment), false);
  }

  private static ServiceProcess start(
      ServiceSpec spec,
      Path home,
      Path logDir,
      PrintStream console,
      Map<String, String> runEnvironment,
      boolean appendLog)
      throws IOException {
    Path jar = spec.runnableJar(home);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build first with ./mvnw -DskipTests package");
    }
    List<String> command = new ArrayList<>(lowerPriority(spec, console));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(spec.jvmOptions());
    for (Map.Entry<String, String> property : spec.properties().entrySet()) {
      command.add("-D" + property.getKey() + "=" + property.getValue());
    }
    String instanceToken = newInstanceToken();
    command.add("-Dquarkus.http.header.\"" + INSTANCE_HEADER + "\".value=" + instanceToken);
    command.add("-jar");
    command.add(jar.toString());
    Path logFile = logDir.resolve(spec.name() + ".log");
    long startOffset = appendLog && Files.exists(logFile) ? Files.size(logFile) : 0;
    // The OS writes the output to the file, so it keeps every line even when the JVM dies at once.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                appendLog
                    ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                    : ProcessBuilder.Redirect.to(logFile.toFile()));
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(ServiceProcess::isRunScoped);
    runEnvironment.forEach(
        (name, value) -> {
          if (isRunScoped(name)) {
            environment.put(name, value);
          }
        });
    environment.putAll(spec.environment());
    Process process = builder.start();
    Thread pump =
        new Thread(
            new LogTail(logFile, startOffset, spec.name(), console, process::isAlive),
            "log-" + spec.name());
    pump.setDaemon(true);
    pump.start();
    return new ServiceProcess(
        spec, process, instanceToken, new Launch(home, logDir, console, runEnvironment));
  }

  static String newInstanceToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Starts this service again with the same properties, environment and log file (appended to), as
   * a new process with a new instance token. Refuses while this one still runs: two copies would
   * fight over the ports.
   */
  ServiceProcess startAgain() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(spec.module() + " is still running (pid " + pid() + ")");
    }
    if (launch == null) {
      throw new IllegalStateException(spec.module() + " was not started by this launcher");
    }
    return start(
        spec, launch.home(), launch.logDir(), launch.console(), launch.runEnvironment(), true);
  }

  private static boolean isRunScoped(String variable) {
    return RUN_SCOPED_PREFIXES.stream().anyMatch(variable::startsWith);
  }

  ServiceSpec spec() {
    return spec;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The {@code nice} prefix that starts the service {@link ServiceSpec#niceness()} steps below the
   * launcher's CPU priority; none when it runs like the launcher, or when the system has no {@code
   * nice} (then the console says so).
   */
  static List<String> lowerPriority(ServiceSpec spec, PrintStream console) {
    if (spec.niceness() == 0) {
      return List.of();
    }
    for (String candidate : List.of("/usr/bin/nice", "/bin/nice")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return List.of(candidate, "-n", Integer.toString(spec.niceness()));
      }
    }
    console.printf("%s: no nice command; it runs at the launcher's CPU priority%n", spec.module());
    return List.of();
  }

  long pid() {
    return process.pid();
  }

  /** The exit status once the process ended (128 + signal number when a signal ended it). */
  OptionalInt exitStatus() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Whether this process (not whatever holds its port) answers 200 on {@code /q/health/ready}. */
  boolean isReady() {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(spec.healthUrl()))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200
          && response
              .headers()
              .firstValue(INSTANCE_HEADER)
              .filter(instanceToken::equals)
              .isPresent();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Asks the service to shut down gracefully, then forces it after {@code grace}. */
  void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills the process at once, as a crash would: SIGKILL on Linux and macOS, so no shutdown hook,
   * no graceful drain, no last offset commit. Returns once the process is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(spec.module() + " (pid " + pid() + ") survived SIGKILL");
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(15));
  }
}
