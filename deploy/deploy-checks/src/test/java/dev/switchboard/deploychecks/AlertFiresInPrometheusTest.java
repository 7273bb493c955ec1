package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a real Prometheus (the Debian binary) with OUR rule file and a one-second evaluation
 * interval, scraping a small HTTP endpoint that serves Prometheus text format in place of
 * model-adapter's /q/metrics. The endpoint reports the provider circuit as open, then closed, and
 * the test watches ModelProviderCircuitOpen go pending, firing and back to inactive through
 * Prometheus's own HTTP API. Only the rule's {@code for:} is shortened (1m to 2s); its expression
 * is used exactly as committed.
 */
class AlertFiresInPrometheusTest {
  private static final String RULE = "ModelProviderCircuitOpen";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final AtomicInteger circuitOpen = new AtomicInteger(0);
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer modelAdapterMetrics;
  private Process prometheus;

  @AfterEach
  void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (modelAdapterMetrics != null) {
      modelAdapterMetrics.stop(0);
    }
  }

  @Test
  void providerCircuitAlertFiresWhileTheCircuitIsOpenAndClearsWhenItCloses(@TempDir Path dir)
      throws Exception {
    String base = startPrometheus(dir);
    awaitState(base, "inactive", Duration.ofSeconds(30), dir);

    circuitOpen.set(1);
    awaitState(base, "firing", Duration.ofSeconds(30), dir);
    JsonNode alert = firingAlert(base);
    assertEquals("openai", alert.at("/labels/backend").asText());
    assertEquals("chat", alert.at("/labels/capability").asText());
    assertEquals("page", alert.at("/labels/severity").asText());

    circuitOpen.set(0);
    awaitState(base, "inactive", Duration.ofSeconds(30), dir);
    assertTrue(firingAlert(base) == null, "no alert may remain once the circuit closed");
  }

  /** Starts the metrics stand-in and Prometheus with our rule file; returns Prometheus's URL. */
  private String startPrometheus(Path dir) throws Exception {
    Path binary = Tools.PROMETHEUS.require();
    startMetricsEndpoint();
    Path rules = dir.resolve("rules.yml");
    Files.writeString(rules, ruleFileWithShortFor(RULE, "2s"));
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: model-adapter
            metrics_path: /q/metrics
            static_configs:
              - targets: ['127.0.0.1:%d']
                labels:
                  service: model-adapter
        """
            .formatted(rules, modelAdapterMetrics.getAddress().getPort()));
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    return "http://127.0.0.1:" + port;
  }

  @Test
  void everyGrafanaPanelQueryIsAcceptedByPrometheus(@TempDir Path dir) throws Exception {
    String base = startPrometheus(dir);
    awaitState(base, "inactive", Duration.ofSeconds(30), dir);
    JsonNode dashboard =
        JSON.readTree(
            DeployTree.monitoring().resolve("grafana/switchboard-overview.json").toFile());
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText().replace("$service", ".+");
        String url =
            base
                + "/api/v1/query?query="
                + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8);
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(
            200, response.statusCode(), panel.path("title").asText() + ": " + response.body());
        queries++;
      }
    }
    assertTrue(queries >= 20, "dashboard has only " + queries + " queries");
  }

  private void startMetricsEndpoint() throws IOException {
    modelAdapterMetrics =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    modelAdapterMetrics.createContext(
        "/q/metrics",
        exchange -> {
          byte[] body =
              ("# HELP switchboard_model_circuit_open 1 while the circuit breaker refuses calls\n"
                      + "# TYPE switchboard_model_circuit_open gauge\n"
                      + "switchboard_model_circuit_open{backend=\"openai\",capability=\"chat\"} "
                      + circuitOpen.get()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    modelAdapterMetrics.start();
  }

  /** Our rule file, with only the named rule kept and its {@code for:} shortened. */
  private static String ruleFileWithShortFor(String alert, String forDuration) throws IOException {
    Path committed = DeployTree.monitoring().resolve("prometheus/switchboard-alerts.rules.yml");
    JsonNode tree = YAML.readTree(committed.toFile());
    ObjectNode kept = null;
    for (JsonNode group : tree.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals(alert)) {
          kept = ((ObjectNode) rule).deepCopy();
        }
      }
    }
    if (kept == null) {
      throw new AssertionError(alert + " is not in " + committed);
    }
    kept.put("for", forDuration);
    ObjectNode file = YAML.createObjectNode();
    ArrayNode groups = file.putArray("groups");
    ObjectNode group = groups.addObject();
    group.put("name", "under-test");
    group.putArray("rules").add(kept);
    return YAML.writeValueAsString(file);
  }

  private void awaitState(String base, String state, Duration timeout, Path dir) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String last = "(no answer)";
    while (Instant.now().isBefore(deadline)) {
      try {
        JsonNode rules = get(base + "/api/v1/rules?type=alert");
        for (JsonNode group : rules.at("/data/groups")) {
          for (JsonNode rule : group.path("rules")) {
            if (rule.path("name").asText().equals(RULE)) {
              last = rule.path("state").asText();
              if (last.equals(state)) {
                return;
              }
            }
          }
        }
      } catch (IOException notUpYet) {
        last = "(not up: " + notUpYet.getMessage() + ")";
      }
      if (!prometheus.isAlive()) {
        throw new AssertionError(
            "prometheus exited:\n" + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(250);
    }
    throw new AssertionError(RULE + " never became " + state + "; last state " + last);
  }

  private JsonNode firingAlert(String base) throws Exception {
    for (JsonNode alert : get(base + "/api/v1/alerts").at("/data/alerts")) {
      if (alert.at("/labels/alertname").asText().equals(RULE)
          && alert.path("state").asText().equals("firing")) {
        return alert;
      }
    }
    return null;
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
