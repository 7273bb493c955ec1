package dev.switchboard.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run the platform on one machine.
 *
 * @param home the project checkout whose modules hold the packaged services
 * @param dataDir where the broker, database and logs keep their files (wiped at start)
 * @param dynamicPorts true to pick free ports for everything (tests), false for the documented
 *     fixed ports (8081-8085, gRPC 9083, SIP 5060, Graph API stand-in 8090)
 * @param whatsApp the WhatsApp number the platform answers on
 * @param graphBaseUrl the Graph API to send replies to; {@code null} starts the local stand-in
 * @param environment the variables that choose providers and secrets (normally the process's)
 * @param console where the readable log goes
 * @param startupTimeout how long each service may take to become ready
 * @param extraProperties system properties given to every service on top of the launcher's own
 *     (e.g. to switch tracing on); they win over the launcher's values
 * @param serviceProperties system properties for one service each, by module name (e.g. {@code
 *     model-adapter}); they win over the launcher's values and {@code extraProperties}. Services
 *     reject configuration keys under their own prefix that they do not know, so settings meant for
 *     one service go here rather than to every service.
 */
public record PlatformOptions(
    Path home,
    Path dataDir,
    boolean dynamicPorts,
    WhatsAppNumber whatsApp,
    String graphBaseUrl,
    Map<String, String> environment,
    PrintStream console,
    Duration startupTimeout,
    Map<String, String> extraProperties,
    Map<String, Map<String, String>> serviceProperties) {

  public PlatformOptions {
    extraProperties = Map.copyOf(extraProperties);
    for (String module : serviceProperties.keySet()) {
      if (!ServiceCatalog.MODULES.contains(module)) {
        throw new IllegalArgumentException(
            "serviceProperties names an unknown service '"
                + module
                + "'; the services are "
                + ServiceCatalog.MODULES);
      }
    }
    Map<String, Map<String, String>> copy = new java.util.HashMap<>();
    serviceProperties.forEach((module, properties) -> copy.put(module, Map.copyOf(properties)));
    serviceProperties = Map.copyOf(copy);
  }

  /** The WhatsApp business number's identity and secrets. */
  public record WhatsAppNumber(
      String phoneNumberId, String accessToken, String appSecret, String verifyToken) {

    /** Values for local runs with no real WhatsApp number; safe only on this machine. */
    public static WhatsAppNumber localDefaults() {
      return new WhatsAppNumber(
          "100000000000001",
          "local-access-token",
          "switchboard-local-app-secret",
          "switchboard-local-verify-token");
    }

    /** A real number from WHATSAPP_* variables, or the local defaults for any that are unset. */
    public static WhatsAppNumber fromEnvironment(Map<String, String> env) {
      WhatsAppNumber local = localDefaults();
      return new WhatsAppNumber(
          env.getOrDefault("WHATSAPP_PHONE_NUMBER_ID", local.phoneNumberId()),
          env.getOrDefault("WHATSAPP_ACCESS_TOKEN", local.accessToken()),
          env.getOrDefault("WHATSAPP_APP_SECRET", local.appSecret()),
          env.getOrDefault("WHATSAPP_VERIFY_TOKEN", local.verifyToken()));
    }
  }

  /** Options for a person running the platform from a checkout. */
  public static PlatformOptions forCommandLine(Path home, Map<String, String> env) {
    boolean realWhatsApp = env.containsKey("WHATSAPP_ACCESS_TOKEN");
    return new PlatformOptions(
        home,
        home.resolve(".switchboard"),
        false,
        WhatsAppNumber.fromEnvironment(env),
        realWhatsApp
            ? env.getOrDefault("WHATSAPP_GRAPH_BASE_URL", "https://graph.facebook.com")
            : null,
        env,
        System.out,
        Duration.ofSeconds(90),
        Map.of(),
        Map.of());
  }
}
