package dev.switchboard.launcher;

import dev.switchboard.devstack.DevStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The five services and the configuration that ties them together on one machine. */
final class ServiceCatalog {
  private ServiceCatalog() {}

  static List<ServiceSpec> services(
      PlatformOptions options,
      PlatformPorts ports,
      DevStack stack,
      PlatformSecrets secrets,
      String graphBaseUrl) {
    Map<String, String> shared = new HashMap<>();
    shared.put("kafka.bootstrap.servers", stack.kafkaBootstrapServers());
    shared.put("switchboard.identity.pepper", secrets.identityPepper());
    shared.put("quarkus.grpc.clients.model.host", "127.0.0.1");
    shared.put("quarkus.grpc.clients.model.port", String.valueOf(ports.modelGrpc()));
    Map<String, String> database = new HashMap<>(shared);
    database.putAll(stack.quarkusConfig());

    Map<String, String> model = new HashMap<>(shared);
    model.put("quarkus.grpc.server.port", String.valueOf(ports.modelGrpc()));

    Map<String, String> core = new HashMap<>(database);
    core.put("switchboard.core.encryption-key", secrets.coreEncryptionKey());

    PlatformOptions.WhatsAppNumber number = options.whatsApp();
    Map<String, String> whatsApp = new HashMap<>(database);
    whatsApp.put("switchboard.whatsapp.graph-base-url", graphBaseUrl);
    whatsApp.put("switchboard.whatsapp.verify-token", number.verifyToken());
    String numberPrefix = "switchboard.whatsapp.numbers.\"" + number.phoneNumberId() + "\".";
    whatsApp.put(numberPrefix + "access-token", number.accessToken());
    whatsApp.put(numberPrefix + "app-secret", number.appSecret());

    Map<String, String> voice = new HashMap<>(shared);
    voice.put("switchboard.voice.sip.port", String.valueOf(ports.sip()));

    Map<String, String> review = new HashMap<>(database);
    review.put("switchboard.review.bootstrap-admin-password", secrets.reviewerAdminPassword());
    review.put("switchboard.review.encryption-key", secrets.reviewEncryptionKey());

    return List.of(
        spec("model-adapter", "model", ports.modelHttp(), model),
        spec("conversation-core", "core", ports.coreHttp(), core),
        spec("safety-review", "review", ports.reviewHttp(), review),
        spec("channel-whatsapp", "whatsapp", ports.whatsAppHttp(), whatsApp),
        spec("channel-voice", "voice", ports.voiceHttp(), voice));
  }

  private static ServiceSpec spec(
      String module, String name, int httpPort, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("quarkus.http.port", String.valueOf(httpPort));
    return new ServiceSpec(module, name, httpPort, Map.copyOf(all));
  }
}
