package dev.switchboard.systemtests;

import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Starts the packaged platform the way a user's launcher does, on free ports, for one test. */
final class TestPlatform {
  static final WhatsAppNumber NUMBER = WhatsAppNumber.localDefaults();

  private TestPlatform() {}

  /**
   * @param runName names the run's data directory under {@code system-tests/target}
   * @param graphBaseUrl the Graph API stand-in, or {@code null} for the launcher's own sandbox
   * @param extraProperties system properties for every service
   */
  static Platform start(String runName, String graphBaseUrl, Map<String, String> extraProperties)
      throws Exception {
    return start(runName, graphBaseUrl, extraProperties, Map.of());
  }

  /**
   * @param serviceProperties system properties for single services, by module name (e.g. {@code
   *     model-adapter})
   */
  static Platform start(
      String runName,
      String graphBaseUrl,
      Map<String, String> extraProperties,
      Map<String, Map<String, String>> serviceProperties)
      throws Exception {
    Path home = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();
    return Platform.start(
        new PlatformOptions(
            home,
            home.resolve("system-tests/target/" + runName),
            true,
            NUMBER,
            graphBaseUrl,
            Map.of(),
            System.out,
            Duration.ofSeconds(240),
            extraProperties,
            serviceProperties));
  }
}
