package dev.switchboard.voice.transport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Interop tests need real peers from Debian packages. Under {@code CI=true} a missing tool is a
 * failure (CI must install it); on a developer machine the test is skipped with the apt command.
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
      fail(message + " (CI=true: interop tests must run)");
    }
    Assumptions.abort(message);
    return null;
  }
}
