package dev.switchboard.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A running service: its OS process, its log pump, how to ask whether it is ready, and how to start
 * it again the same way after it stopped or was killed.
 */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServiceSpec spec;
  private final Process process;
  private final Path home;
  private final Path logDir;
  private final PrintStream console;
  private final Map<String, String> runEnvironment;

  private ServiceProcess(
      ServiceSpec spec,
      Process process,
      Path home,
      Path logDir,
      PrintStream console,
      Map<String, String> runEnvironment) {
    this.spec = spec;
    this.process = process;
    this.home = home;
    this.logDir = logDir;
    this.console = console;
    this.runEnvironment = runEnvironment;
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
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    for (Map.Entry<String, String> property : spec.properties().entrySet()) {
      command.add("-D" + property.getKey() + "=" + property.getValue());
    }
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
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
            new LogPump(
                process.getInputStream(),
                spec.name(),
                console,
                logDir.resolve(spec.name() + ".log"),
                appendLog),
            "log-" + spec.name());
    pump.setDaemon(true);
    pump.start();
    return new ServiceProcess(spec, process, home, logDir, console, runEnvironment);
  }

  /**
   * Starts this service again with the same properties, environment and log file (appended to), as
   * a new process. Refuses while this one still runs: two copies would fight over the ports.
   */
  ServiceProcess startAgain() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(spec.module() + " is still running (pid " + pid() + ")");
    }
    return start(spec, home, logDir, console, runEnvironment, true);
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

  long pid() {
    return process.pid();
  }

  /** The exit status once the process ended (128 + signal number when a signal ended it). */
  OptionalInt exitStatus() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Whether {@code /q/health/ready} answers 200 right now. */
  boolean isReady() {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(spec.healthUrl()))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
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
