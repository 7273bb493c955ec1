package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a dashboard panel queries is listed in deploy/monitoring/README.md,
 * the table service owners match their meter names against.
 */
class MetricCatalogTest {
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "le",
          "inf",
          "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  @Test
  void everyQueriedMetricIsInTheReadmeTable() throws Exception {
    Set<String> queried = new TreeSet<>();
    JsonNode rules =
        new YAMLMapper()
            .readTree(
                DeployTree.monitoring()
                    .resolve("prometheus/switchboard-alerts.rules.yml")
                    .toFile());
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        queried.addAll(metricsIn(rule.path("expr").asText()));
      }
    }
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                DeployTree.monitoring().resolve("grafana/switchboard-overview.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queried.addAll(metricsIn(target.path("expr").asText()));
      }
    }
    assertTrue(queried.size() >= 10, "found only " + queried);
    String readme = Files.readString(DeployTree.monitoring().resolve("README.md"));
    Set<String> missing = new TreeSet<>();
    for (String metric : queried) {
      String base = metric.replaceAll("_(bucket|count|sum)$", "");
      if (!readme.contains(metric) && !readme.contains(base) && !isBuiltIn(metric)) {
        missing.add(metric);
      }
    }
    assertEquals(
        Set.of(), missing, "metrics queried but not listed in deploy/monitoring/README.md");
  }

  @Test
  void metricNamesAreFoundAndLabelsAndFunctionsAreNot() {
    assertEquals(
        List.of("http_server_requests_seconds_count", "up"),
        List.copyOf(
            new TreeSet<>(
                metricsIn(
                    "sum by (service) (rate(http_server_requests_seconds_count{uri=\"/a\", status=~\"5..\"}[5m]))"
                        + " / max without (pod) (up) > 0.01"))));
  }

  /** JVM and process series every Quarkus service exposes; the README names them as a group. */
  private static boolean isBuiltIn(String metric) {
    return metric.startsWith("jvm_") || metric.startsWith("process_");
  }

  static Set<String> metricsIn(String expr) {
    String stripped =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // string literals
            .replaceAll("\\{[^}]*}", "") // label matchers
            .replaceAll("\\[[^]]*]", "") // range selectors
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> metrics = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(stripped);
    while (m.find()) {
      String word = m.group();
      int next = m.end();
      while (next < stripped.length() && stripped.charAt(next) == ' ') {
        next++;
      }
      boolean isFunction = next < stripped.length() && stripped.charAt(next) == '(';
      boolean isNumber = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
      if (!isFunction && !isNumber && !KEYWORDS.contains(word.toLowerCase())) {
        metrics.add(word);
      }
    }
    return metrics;
  }
}
