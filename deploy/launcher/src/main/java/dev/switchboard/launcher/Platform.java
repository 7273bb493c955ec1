package dev.switchboard.launcher;

import dev.switchboard.devstack.DevStack;
import dev.switchboard.launcher.sandbox.MetaStandIn;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole platform on one machine: a real Kafka broker and PostgreSQL, the five services as
 * separate processes, and (without a real WhatsApp number) a local Graph API stand-in. The
 * command-line launcher and the system tests both start it through this class.
 */
public final class Platform implements AutoCloseable {
  private final PlatformOptions options;
  private final PlatformPorts ports;
  private final PlatformSecrets secrets;
  private final DevStack stack;
  private final MetaStandIn metaStandIn;
  private final String graphBaseUrl;
  private final List<ServiceProcess> services;

  private Platform(
      PlatformOptions options,
      PlatformPorts ports,
      PlatformSecrets secrets,
      DevStack stack,
      MetaStandIn metaStandIn,
      String graphBaseUrl,
      List<ServiceProcess> services) {
    this.options = options;
    this.ports = ports;
    this.secrets = secrets;
    this.stack = stack;
    this.metaStandIn = metaStandIn;
    this.graphBaseUrl = graphBaseUrl;
    this.services = new ArrayList<>(services);
  }

  /** Starts everything and returns once every service reports ready. */
  public static Platform start(PlatformOptions options) throws Exception {
    PrintStream console = options.console();
    Path dataDir = options.dataDir();
    deleteRecursively(dataDir.resolve("data"));
    Path logDir = Files.createDirectories(dataDir.resolve("logs"));
    PlatformPorts ports = options.dynamicPorts() ? PlatformPorts.free() : PlatformPorts.fixed();
    PlatformSecrets secrets = PlatformSecrets.from(options.environment());

    console.println("launcher | starting Kafka and PostgreSQL");
    DevStack stack = DevStack.start(dataDir.resolve("data"));
    MetaStandIn standIn = null;
    List<ServiceProcess> started = new ArrayList<>();
    try {
      String graphBaseUrl = options.graphBaseUrl();
      if (graphBaseUrl == null) {
        standIn =
            MetaStandIn.start(
                ports.graphApiStandIn(),
                console,
                new MetaStandIn.WebhookTarget(
                    webhookUrl(ports),
                    options.whatsApp().phoneNumberId(),
                    options.whatsApp().appSecret()));
        graphBaseUrl = standIn.baseUrl();
      }
      for (ServiceSpec spec :
          ServiceCatalog.services(options, ports, stack, secrets, graphBaseUrl)) {
        console.println("launcher | starting " + spec.module());
        started.add(
            ServiceProcess.start(spec, options.home(), logDir, console, options.environment()));
      }
      awaitReady(started, options.startupTimeout(), console);
      return new Platform(options, ports, secrets, stack, standIn, graphBaseUrl, started);
    } catch (Exception | Error e) {
      started.forEach(service -> service.stop(Duration.ofSeconds(5)));
      if (standIn != null) {
        standIn.close();
      }
      stack.close();
      throw e;
    }
  }

  private static void awaitReady(
      List<ServiceProcess> services, Duration timeout, PrintStream console)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ServiceProcess> waiting = new ArrayList<>(services);
    while (!waiting.isEmpty()) {
      for (ServiceProcess service : List.copyOf(waiting)) {
        if (!service.isAlive()) {
          throw new IllegalStateException(
              service.spec().module() + " exited during start-up; see its log above");
        }
        if (service.isReady()) {
          console.println("launcher | " + service.spec().module() + " is ready");
          waiting.remove(service);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Not ready after "
                + timeout.toSeconds()
                + " s: "
                + waiting.stream().map(s -> s.spec().module()).toList());
      }
      Thread.sleep(250);
    }
  }

  public PlatformPorts ports() {
    return ports;
  }

  public String whatsAppWebhookUrl() {
    return webhookUrl(ports);
  }

  private static String webhookUrl(PlatformPorts ports) {
    return "http://127.0.0.1:" + ports.whatsAppHttp() + "/webhooks/whatsapp";
  }

  /** The local WhatsApp sandbox page, when the platform plays Meta itself. */
  public java.util.Optional<String> sandboxUrl() {
    return java.util.Optional.ofNullable(metaStandIn).map(standIn -> standIn.baseUrl() + "/");
  }

  public String sipUri() {
    return "sip:assistant@127.0.0.1:" + ports.sip();
  }

  public String reviewerUiUrl() {
    // The session cookie is Secure; browsers accept that over plain HTTP only for localhost.
    return "http://localhost:" + ports.reviewHttp() + "/";
  }

  public String reviewerAdminPassword() {
    return secrets.reviewerAdminPassword();
  }

  public String graphBaseUrl() {
    return graphBaseUrl;
  }

  public boolean usesGraphApiStandIn() {
    return metaStandIn != null;
  }

  public PlatformOptions options() {
    return options;
  }

  public DevStack devStack() {
    return stack;
  }

  /**
   * Kills one service at once, as a crash or an OOM kill would (SIGKILL: no shutdown hook, no
   * graceful drain), for failure drills. The rest of the platform keeps running.
   *
   * @param module the service's Maven module, e.g. {@code conversation-core}
   * @return the killed process's exit status
   */
  public int kill(String module) throws InterruptedException {
    ServiceProcess service = service(module);
    options.console().println("launcher | killing " + module + " (pid " + service.pid() + ")");
    service.kill();
    return service.exitStatus().orElseThrow();
  }

  /**
   * Starts a service that was killed (or exited) again with the configuration it had, and returns
   * once it reports ready.
   */
  public void restart(String module) throws IOException, InterruptedException {
    ServiceProcess previous = service(module);
    options.console().println("launcher | starting " + module + " again");
    ServiceProcess again = previous.startAgain();
    synchronized (services) {
      services.set(services.indexOf(previous), again);
    }
    awaitReady(List.of(again), options.startupTimeout(), options.console());
  }

  /** Whether the service's current process is running. */
  public boolean isRunning(String module) {
    return service(module).isAlive();
  }

  private ServiceProcess service(String module) {
    synchronized (services) {
      return services.stream()
          .filter(s -> s.spec().module().equals(module))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("No service named " + module));
    }
  }

  /** Stops the services (gracefully, in parallel), then the stand-in, broker and database. */
  @Override
  public void close() throws IOException {
    List<Thread> stopping = new ArrayList<>();
    List<ServiceProcess> current;
    synchronized (services) {
      current = List.copyOf(services);
    }
    for (ServiceProcess service : current) {
      Thread thread = new Thread(service::close, "stop-" + service.spec().name());
      thread.start();
      stopping.add(thread);
    }
    for (Thread thread : stopping) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (metaStandIn != null) {
      metaStandIn.close();
    }
    stack.close();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Platform::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear old run data at " + path, e);
    }
  }
}
