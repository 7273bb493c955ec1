package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service process killed hard and started again, with a real child JVM ({@link
 * StandInServiceMain} packaged where the launcher looks for a service's runnable jar).
 */
class ServiceProcessRestartTest {
  private static final String STARTED = "stand-in started with greeting hello and token t-1";

  @TempDir Path home;

  @Test
  void killIsACrashAndStartAgainUsesTheSameConfigurationAndLog() throws Exception {
    ServiceSpec spec = packagedStandIn(ServiceSpec.Role.CALL_PATH);
    Path logDir = Files.createDirectories(home.resolve("logs"));
    Path log = logDir.resolve("standin.log");
    PrintStream console = System.out;

    ServiceProcess first = ServiceProcess.start(spec, home, logDir, console, Map.of());
    try {
      awaitReady(first, log);
      awaitLog(log, lines -> lines.contains(STARTED));
      assertThrows(IllegalStateException.class, first::startAgain, "two copies would clash");

      first.kill();

      assertFalse(first.isAlive());
      assertEquals(128 + 9, first.exitStatus().orElseThrow(), "ended by SIGKILL");
      ServiceProcess second = first.startAgain();
      try {
        awaitReady(second, log);
        assertNotEquals(first.pid(), second.pid());
        // The same properties and environment, and the log continues after the crash.
        awaitLog(log, lines -> lines.stream().filter(STARTED::equals).count() == 2);
      } finally {
        second.close();
      }
      assertEquals(128 + 15, second.exitStatus().orElseThrow(), "close asks with SIGTERM first");
    } finally {
      first.close();
    }
  }

  @Test
  void aServiceWithANicenessRunsThatManyStepsBelowTheLauncher() throws Exception {
    ServiceSpec spec = packagedStandIn(ServiceSpec.Role.BACKGROUND);
    Path logDir = Files.createDirectories(home.resolve("logs"));
    try (ServiceProcess service = ServiceProcess.start(spec, home, logDir, System.out, Map.of())) {
      awaitReady(service, logDir.resolve("standin.log"));
      int launcher = niceness(ProcessHandle.current().pid());
      assertEquals(
          Math.min(19, launcher + ServiceSpec.Role.BACKGROUND.niceness()),
          niceness(service.pid()),
          "the service's nice value, from /proc");
    }
  }

  /** Field 19 of /proc/<pid>/stat, counted after the command name's closing parenthesis. */
  private static int niceness(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(afterName[16]);
  }

  private static void awaitReady(ServiceProcess service, Path log)
      throws InterruptedException, IOException {
    for (int i = 0; i < 600 && !service.isReady(); i++) {
      if (!service.isAlive()) {
        Thread.sleep(500); // let the log pump write the last lines
        throw new AssertionError("the stand-in exited during start-up: " + Files.readAllLines(log));
      }
      Thread.sleep(100);
    }
    assertTrue(service.isReady(), "the stand-in never became ready");
  }

  private static void awaitLog(Path log, Predicate<List<String>> done)
      throws IOException, InterruptedException {
    List<String> lines = List.of();
    for (int i = 0; i < 600; i++) {
      lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
      if (done.test(lines)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("The log never got there: " + lines);
  }

  /** The stand-in's spec on a free port, its jar packaged where the launcher looks for it. */
  private ServiceSpec packagedStandIn(ServiceSpec.Role role) throws IOException {
    int port = freePort();
    ServiceSpec spec =
        new ServiceSpec(
            "stand-in",
            "standin",
            port,
            Map.of("quarkus.http.port", String.valueOf(port), "standin.greeting", "hello"),
            Map.of("STANDIN_TOKEN", "t-1"),
            role);
    packageStandIn(spec.runnableJar(home));
    return spec;
  }

  /** A runnable jar holding only the stand-in's class, where the launcher expects a service. */
  private static void packageStandIn(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(Attributes.Name.MAIN_CLASS, StandInServiceMain.class.getName());
    String entry = StandInServiceMain.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        InputStream classFile = ServiceProcessRestartTest.class.getResourceAsStream("/" + entry)) {
      out.putNextEntry(new JarEntry(entry));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      classFile.transferTo(bytes);
      out.write(bytes.toByteArray());
      out.closeEntry();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
