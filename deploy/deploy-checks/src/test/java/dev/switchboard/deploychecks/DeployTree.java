package dev.switchboard.deploychecks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where deploy/ is: from the build (system property deploy.root) or relative to the module. */
final class DeployTree {
  private DeployTree() {}

  static Path root() {
    String configured = System.getProperty("deploy.root");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("kubernetes"))
        || !Files.isDirectory(root.resolve("monitoring"))) {
      throw new IllegalStateException("not the deploy/ directory: " + root);
    }
    return root;
  }

  static Path kubernetes() {
    return root().resolve("kubernetes");
  }

  static Path monitoring() {
    return root().resolve("monitoring");
  }
}
