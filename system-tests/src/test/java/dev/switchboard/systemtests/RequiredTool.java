package dev.switchboard.systemtests;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real peers come from Debian packages. Under {@code CI=true} a missing tool fails the test (CI
 * must install it); on a developer machine the test is skipped with the apt command.
 */
final class RequiredTool {
  private RequiredTool() {}

  static Path require(String executable, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, executable);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = executable + " not found: apt-get install -y " + debianPackage;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (CI=true: this test must run)");
    }
    Assumptions.abort(message);
    return null;
  }
}
