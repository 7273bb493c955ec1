package dev.switchboard.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.launcher.Platform;
import dev.switchboard.launcher.PlatformOptions.WhatsAppNumber;
import dev.switchboard.launcher.PlatformPorts;
import dev.switchboard.launcher.SampleWebhook;
import dev.switchboard.systemtests.PromQl.LabelMatcher;
import dev.switchboard.systemtests.PromQl.Selector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard in deploy/monitoring query series the services really export:
 * after one WhatsApp turn through the packaged platform, every metric named in an alert expression
 * or a panel query is in the {@code /q/metrics} exposition of a service (of the one named by a
 * {@code service="..."} matcher, if any), with the label values the query names literally and the
 * labels it matches by pattern. An alert on a name nobody exports never fires; this test is what
 * stops that from happening silently.
 */
class MonitoredMetricsIT {
  private static final WhatsAppNumber NUMBER = TestPlatform.NUMBER;
  private static final String USER_WA_ID = "15557003344";

  /**
   * Series that no Switchboard service exports, by design: the Strimzi Kafka Exporter's broker-side
   * lag and offsets, and Prometheus's own {@code up}. deploy/monitoring/README.md says so too.
   */
  private static final Set<String> EXPORTED_ELSEWHERE =
      Set.of("kafka_consumergroup_lag", "kafka_topic_partition_current_offset", "up");

  /** Labels Prometheus adds at scrape time (see the relabelling in deploy/monitoring/README.md). */
  private static final Set<String> SCRAPE_LABELS = Set.of("service", "pod");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static WireMockServer graphApi;
  private static Platform platform;
  private static Map<String, Exposition> expositions;

  @BeforeAll
  static void startPlatformAndDriveOneTurn() throws Exception {
    graphApi = GraphApiStandIn.start();
    platform = TestPlatform.start("platform-metrics", graphApi.baseUrl(), Map.of());
    byte[] webhook =
        SampleWebhook.textMessage(
            NUMBER.phoneNumberId(), USER_WA_ID, "wamid.metrics-test-1", "ping", Instant.now());
    assertEquals(
        200, SampleWebhook.post(platform.whatsAppWebhookUrl(), webhook, NUMBER.appSecret()));
    Eventually.await(
        "the reply at the Graph API",
        Duration.ofSeconds(60),
        () ->
            graphApi.findAll(
                postRequestedFor(urlPathMatching(".*/messages"))
                    .withRequestBody(matchingJsonPath("$.type", equalTo("text")))
                    .withRequestBody(matchingJsonPath("$.to", equalTo(USER_WA_ID)))),
        replies -> !replies.isEmpty());
    PlatformPorts ports = platform.ports();
    Map<String, Integer> httpPorts = new LinkedHashMap<>();
    httpPorts.put("channel-whatsapp", ports.whatsAppHttp());
    httpPorts.put("conversation-core", ports.coreHttp());
    httpPorts.put("model-adapter", ports.modelHttp());
    httpPorts.put("channel-voice", ports.voiceHttp());
    httpPorts.put("safety-review", ports.reviewHttp());
    expositions = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> service : httpPorts.entrySet()) {
      expositions.put(service.getKey(), Exposition.parse(scrape(service.getValue())));
    }
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (graphApi != null) {
      graphApi.stop();
    }
  }

  @Test
  void everyAlertRuleQueriesSeriesAServiceExports() throws IOException {
    JsonNode rules =
        new YAMLMapper()
            .readTree(monitoring().resolve("prometheus/switchboard-alerts.rules.yml").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        queries.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    assertEquals(14, queries.size(), "alert rules read: " + queries.keySet());
    assertEquals(List.of(), unexported(queries), "alert rules that query series nobody exports");
  }

  @Test
  void everyDashboardPanelQueriesSeriesAServiceExports() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(monitoring().resolve("grafana/switchboard-overview.json").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    collectPanelQueries(dashboard.path("panels"), queries);
    assertTrue(queries.size() >= 20, "panel queries read: " + queries.keySet());
    assertEquals(
        List.of(), unexported(queries), "dashboard panels that query series nobody exports");
  }

  @Test
  void theTurnShowsInTheSeriesTheAlertsWatch() {
    // Not only registered: the webhook and the chat call of this turn were counted.
    assertTrue(
        expositions.get("channel-whatsapp").series("http_server_requests_seconds_count").stream()
            .anyMatch(
                s -> "/webhooks/whatsapp".equals(s.get("uri")) && "200".equals(s.get("status"))),
        "channel-whatsapp counted the webhook request");
    assertTrue(
        expositions.get("model-adapter").series("switchboard_model_request_seconds_count").stream()
            .anyMatch(s -> "chat".equals(s.get("capability")) && "ok".equals(s.get("outcome"))),
        "model-adapter counted the chat request");
  }

  private static void collectPanelQueries(JsonNode panels, Map<String, String> queries) {
    for (JsonNode panel : panels) {
      collectPanelQueries(panel.path("panels"), queries);
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
  }

  /** One line per selector of {@code queries} that no service's exposition satisfies. */
  private static List<String> unexported(Map<String, String> queries) {
    List<String> problems = new ArrayList<>();
    Map<String, Set<String>> found = new TreeMap<>();
    for (Map.Entry<String, String> query : queries.entrySet()) {
      List<Selector> selectors = PromQl.selectors(query.getValue());
      if (selectors.isEmpty()) {
        problems.add(query.getKey() + ": no metric found in " + query.getValue());
      }
      for (Selector selector : selectors) {
        if (EXPORTED_ELSEWHERE.contains(selector.metric())) {
          continue;
        }
        Set<String> exporters = exporters(selector);
        if (exporters.isEmpty()) {
          problems.add(query.getKey() + ": " + describe(selector) + " is exported by no service");
        }
        found.computeIfAbsent(selector.metric(), k -> new TreeSet<>()).addAll(exporters);
      }
    }
    System.out.println("Queried metrics and the services exporting them:");
    found.forEach((metric, services) -> System.out.println("  " + metric + " <- " + services));
    return problems;
  }

  /** The services whose exposition has a series that {@code selector} selects. */
  private static Set<String> exporters(Selector selector) {
    Set<String> services = new TreeSet<>();
    for (Map.Entry<String, Exposition> service : expositions.entrySet()) {
      if (!scrapeLabelsAllow(selector, service.getKey())) {
        continue;
      }
      boolean selected =
          service.getValue().series(selector.metric()).stream()
              .anyMatch(labels -> matchesExportedLabels(selector, labels));
      if (selected) {
        services.add(service.getKey());
      }
    }
    return services;
  }

  /** A literal {@code service="x"} pins the series to service x; regexes and variables do not. */
  private static boolean scrapeLabelsAllow(Selector selector, String service) {
    return selector.matchers().stream()
        .filter(m -> m.label().equals("service") && m.operator().equals("="))
        .allMatch(m -> m.value().equals(service));
  }

  private static boolean matchesExportedLabels(Selector selector, Map<String, String> labels) {
    for (LabelMatcher matcher : selector.matchers()) {
      if (SCRAPE_LABELS.contains(matcher.label())) {
        continue;
      }
      String value = labels.get(matcher.label());
      boolean ok =
          switch (matcher.operator()) {
            case "=" -> matcher.value().equals(value);
            // A regex picks a class of values that may not have happened yet (status=~"5.."
            // before the first server error): the label must be there, not the value.
            case "=~" -> value != null;
            default -> true; // != and !~ also select series without the label
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Selector selector) {
    return selector.metric()
        + selector.matchers().stream()
            .map(m -> m.label() + m.operator() + "\"" + m.value() + "\"")
            .toList();
  }

  private static String scrape(int httpPort) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), "GET /q/metrics on port " + httpPort);
    return response.body();
  }

  private static Path monitoring() {
    return Path.of(System.getProperty("switchboard.home", ".."))
        .toAbsolutePath()
        .normalize()
        .resolve("deploy/monitoring");
  }
}
