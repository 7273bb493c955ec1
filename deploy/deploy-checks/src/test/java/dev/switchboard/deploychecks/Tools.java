package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the command-line tools the checks run. Each can be pointed at explicitly with an
 * environment variable (e.g. {@code KUBECTL=/opt/kubectl-1.20/kubectl}); otherwise it is looked up
 * on the PATH. A missing tool fails the test under {@code CI=true} and skips it, with the apt
 * package to install, everywhere else.
 */
final class Tools {
  /** kubectl with its embedded kustomize (Debian package kubernetes-client). */
  static final Tool KUBECTL = new Tool("kubectl", "KUBECTL", "kubernetes-client");

  /** promtool (Debian package prometheus). */
  static final Tool PROMTOOL = new Tool("promtool", "PROMTOOL", "prometheus");

  /** The Prometheus server (Debian package prometheus). */
  static final Tool PROMETHEUS = new Tool("prometheus", "PROMETHEUS", "prometheus");

  private Tools() {}

  /** A command-line tool and where it comes from. */
  record Tool(String command, String overrideVariable, String aptPackage) {

    /** The tool's path, or a failed (CI) / aborted (elsewhere) test when it is not installed. */
    Path require() {
      return require(System.getenv());
    }

    /**
     * As {@link #require()}, reading {@code CI}, the override and {@code PATH} from {@code env}.
     */
    Path require(java.util.Map<String, String> env) {
      Optional<Path> found = locate(env);
      if (found.isPresent()) {
        return found.get();
      }
      String message =
          command
              + " not found (set "
              + overrideVariable
              + " or install the Debian package: apt-get install -y "
              + aptPackage
              + ")";
      if ("true".equalsIgnoreCase(env.get("CI"))) {
        fail(message);
      }
      Assumptions.abort(message + "; skipped because CI is not true");
      throw new AssertionError("unreachable");
    }

    Optional<Path> locate(java.util.Map<String, String> env) {
      String override = env.get(overrideVariable);
      if (override != null && !override.isBlank()) {
        Path path = Path.of(override);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
      }
      String pathVariable = env.getOrDefault("PATH", "");
      for (String dir : pathVariable.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, command);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    }
  }
}
