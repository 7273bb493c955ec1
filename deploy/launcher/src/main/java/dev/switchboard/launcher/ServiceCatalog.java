package dev.switchboard.launcher;

import dev.switchboard.devstack.DevStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The five services and the configuration that ties them together on one machine. Services run in
 * their production profile, so their secrets travel as the environment variables that profile
 * reads; everything else is a system property.
 */
final class ServiceCatalog {
  /** The modules the launcher starts, in start order. */
  static final List<String> MODULES =
      List.of(
          "model-adapter",
          "conversation-core",
          "safety-review",
          "channel-whatsapp",
          "channel-voice");

  private ServiceCatalog() {}

  static List<ServiceSpec> services(
      PlatformOptions options,
      PlatformPorts ports,
      DevStack stack,
      PlatformSecrets secrets,
      String graphBaseUrl) {
    return services(
        options,
        ports,
        stack.kafkaBootstrapServers(),
        stack.quarkusConfig(),
        secrets,
        graphBaseUrl);
  }

  /**
   * @param kafkaBootstrapServers the broker every service uses
   * @param databaseConfig the datasource (and broker) settings of the services with a database
   */
  static List<ServiceSpec> services(
      PlatformOptions options,
      PlatformPorts ports,
      String kafkaBootstrapServers,
      Map<String, String> databaseConfig,
      PlatformSecrets secrets,
      String graphBaseUrl) {
    Map<String, String> shared = new HashMap<>();
    shared.put("kafka.bootstrap.servers", kafkaBootstrapServers);
    shared.put("quarkus.grpc.clients.model.host", "127.0.0.1");
    shared.put("quarkus.grpc.clients.model.port", String.valueOf(ports.modelGrpc()));
    Map<String, String> sharedEnv = Map.of("SWITCHBOARD_IDENTITY_PEPPER", secrets.identityPepper());
    Map<String, String> database = new HashMap<>(shared);
    database.putAll(databaseConfig);
    // Secrets travel in the environment, never as -D properties: those show in the process list.
    Map<String, String> databaseEnv = new HashMap<>(sharedEnv);
    String databasePassword = database.remove("quarkus.datasource.password");
    if (databasePassword != null) {
      databaseEnv.put("QUARKUS_DATASOURCE_PASSWORD", databasePassword);
    }
    // A loaded laptop can take longer than the default 5 s to hand out the first connection.
    database.put("quarkus.datasource.jdbc.acquisition-timeout", "30S");

    Map<String, String> model = new HashMap<>(shared);
    model.put("quarkus.grpc.server.port", String.valueOf(ports.modelGrpc()));

    Map<String, String> coreEnv = new HashMap<>(databaseEnv);
    coreEnv.put("SWITCHBOARD_CORE_PHONE_ENCRYPTION_KEY", secrets.coreEncryptionKey());

    PlatformOptions.WhatsAppNumber number = options.whatsApp();
    Map<String, String> whatsApp = new HashMap<>(database);
    whatsApp.put("switchboard.whatsapp.graph-base-url", graphBaseUrl);
    String numberPrefix = "switchboard.whatsapp.numbers.\"" + number.phoneNumberId() + "\".";
    // The map key of the number cannot be spelled as an environment variable name: the property
    // refers to one instead.
    whatsApp.put(numberPrefix + "access-token", "${SWITCHBOARD_WHATSAPP_ACCESS_TOKEN}");
    whatsApp.put(numberPrefix + "app-secret", "${SWITCHBOARD_WHATSAPP_APP_SECRET}");
    Map<String, String> whatsAppEnv = new HashMap<>(databaseEnv);
    whatsAppEnv.put("SWITCHBOARD_WHATSAPP_ACCESS_TOKEN", number.accessToken());
    whatsAppEnv.put("SWITCHBOARD_WHATSAPP_APP_SECRET", number.appSecret());
    whatsAppEnv.put("SWITCHBOARD_WHATSAPP_VERIFY_TOKEN", number.verifyToken());

    Map<String, String> voice = new HashMap<>(shared);
    voice.put("switchboard.voice.sip.port", String.valueOf(ports.sip()));
    voice.put("switchboard.voice.sip.bind-host", "127.0.0.1");
    // A real conversation: speech to the core and back (the channel's default is an echo test).
    voice.put("switchboard.voice.media.test-mode", "off");
    voice.put("switchboard.voice.node-number", "0");

    Map<String, String> reviewEnv = new HashMap<>(databaseEnv);
    reviewEnv.put("SWITCHBOARD_TRANSCRIPT_KEY", secrets.reviewEncryptionKey());
    reviewEnv.put("SWITCHBOARD_REVIEW_BOOTSTRAP_ADMIN_PASSWORD", secrets.reviewerAdminPassword());
    // Only the environment variable: a -D property would show the password to every local user
    // in the process list.
    Map<String, String> review = new HashMap<>(database);

    return List.of(
        spec(
            "model-adapter",
            "model",
            ports.modelHttp(),
            model,
            sharedEnv,
            options,
            ServiceSpec.Role.CALL_PATH),
        spec(
            "conversation-core",
            "core",
            ports.coreHttp(),
            database,
            coreEnv,
            options,
            ServiceSpec.Role.CALL_PATH),
        spec(
            "safety-review",
            "review",
            ports.reviewHttp(),
            review,
            reviewEnv,
            options,
            ServiceSpec.Role.BACKGROUND),
        spec(
            "channel-whatsapp",
            "whatsapp",
            ports.whatsAppHttp(),
            whatsApp,
            whatsAppEnv,
            options,
            ServiceSpec.Role.MESSAGING),
        spec(
            "channel-voice",
            "voice",
            ports.voiceHttp(),
            voice,
            sharedEnv,
            options,
            ServiceSpec.Role.CALL_PATH));
  }

  private static ServiceSpec spec(
      String module,
      String name,
      int httpPort,
      Map<String, String> properties,
      Map<String, String> environment,
      PlatformOptions options,
      ServiceSpec.Role role) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("quarkus.http.port", String.valueOf(httpPort));
    // One machine: nothing listens beyond loopback unless the person says so.
    all.put("quarkus.http.host", "127.0.0.1");
    all.put("quarkus.grpc.server.host", "127.0.0.1");
    all.put("quarkus.banner.enabled", "false");
    all.putAll(options.extraProperties());
    all.putAll(options.serviceProperties().getOrDefault(module, Map.of()));
    return new ServiceSpec(module, name, httpPort, Map.copyOf(all), Map.copyOf(environment), role);
  }
}
