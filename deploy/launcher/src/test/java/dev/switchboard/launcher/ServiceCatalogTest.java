package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceCatalogTest {
  private static final PlatformSecrets SECRETS = PlatformSecrets.from(Map.of());

  @Test
  void servicePropertiesReachOnlyTheirServiceAndWinOverEveryOtherSource() {
    PlatformOptions options =
        options(
            Map.of("switchboard.model.chat.backend", "everyone", "quarkus.banner.enabled", "true"),
            Map.of("model-adapter", Map.of("switchboard.model.chat.backend", "scripted")));

    Map<String, ServiceSpec> specs = specs(options);

    assertEquals(ServiceCatalog.MODULES, List.copyOf(specs.keySet()));
    assertEquals(
        "scripted", specs.get("model-adapter").properties().get("switchboard.model.chat.backend"));
    assertEquals(
        "everyone",
        specs.get("conversation-core").properties().get("switchboard.model.chat.backend"));
    // extraProperties still reach every service and win over the launcher's own values.
    specs.values().forEach(s -> assertEquals("true", s.properties().get("quarkus.banner.enabled")));
  }

  @Test
  void withoutServicePropertiesEachServiceGetsOnlyItsOwnSettings() {
    Map<String, ServiceSpec> specs = specs(options(Map.of(), Map.of()));

    assertTrue(specs.get("channel-voice").properties().containsKey("switchboard.voice.sip.port"));
    assertFalse(
        specs.get("conversation-core").properties().containsKey("switchboard.voice.sip.port"));
  }

  @Test
  void theServicesACallWaitsOnGetTheCpuFirst() {
    Map<String, ServiceSpec> specs = specs(options(Map.of(), Map.of()));

    for (String callPath : List.of("channel-voice", "conversation-core", "model-adapter")) {
      assertEquals(0, specs.get(callPath).niceness(), callPath);
    }
    assertEquals(5, specs.get("channel-whatsapp").niceness());
    assertEquals(10, specs.get("safety-review").niceness());
  }

  @Test
  void secretsTravelInTheEnvironmentAndNeverAsProperties() {
    PlatformOptions options = options(Map.of(), Map.of());
    PlatformOptions.WhatsAppNumber number = options.whatsApp();
    List<ServiceSpec> services =
        ServiceCatalog.services(
            options,
            PlatformPorts.fixed(),
            "127.0.0.1:9092",
            Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/x",
                "quarkus.datasource.password", "db-secret-123"),
            SECRETS,
            options.graphBaseUrl());
    List<String> secrets =
        List.of(
            "db-secret-123",
            number.accessToken(),
            number.appSecret(),
            number.verifyToken(),
            SECRETS.identityPepper(),
            SECRETS.coreEncryptionKey(),
            SECRETS.reviewEncryptionKey(),
            SECRETS.reviewerAdminPassword());
    for (ServiceSpec service : services) {
      for (String value : service.properties().values()) {
        for (String secret : secrets) {
          assertFalse(
              value.contains(secret), service.module() + " has a secret on its command line");
        }
      }
    }
    ServiceSpec whatsApp =
        services.stream().filter(s -> s.module().equals("channel-whatsapp")).findFirst().get();
    assertEquals(
        number.accessToken(), whatsApp.environment().get("SWITCHBOARD_WHATSAPP_ACCESS_TOKEN"));
    assertEquals(number.appSecret(), whatsApp.environment().get("SWITCHBOARD_WHATSAPP_APP_SECRET"));
    assertEquals("db-secret-123", whatsApp.environment().get("QUARKUS_DATASOURCE_PASSWORD"));
  }

  @Test
  void anUnknownServiceNameIsRefusedWithTheKnownNames() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> options(Map.of(), Map.of("model", Map.of("a", "b"))));
    assertTrue(refused.getMessage().contains("model-adapter"), refused.getMessage());
  }

  private static PlatformOptions options(
      Map<String, String> extra, Map<String, Map<String, String>> perService) {
    return new PlatformOptions(
        Path.of("."),
        Path.of("target/catalog-test"),
        true,
        PlatformOptions.WhatsAppNumber.localDefaults(),
        "http://127.0.0.1:1",
        Map.of(),
        System.out,
        Duration.ofSeconds(1),
        extra,
        perService);
  }

  private static Map<String, ServiceSpec> specs(PlatformOptions options) {
    return ServiceCatalog.services(
            options,
            PlatformPorts.fixed(),
            "127.0.0.1:9092",
            Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/x"),
            SECRETS,
            options.graphBaseUrl())
        .stream()
        .collect(
            Collectors.toMap(
                ServiceSpec::module, s -> s, (a, b) -> a, java.util.LinkedHashMap::new));
  }
}
