package dev.switchboard.deploychecks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Required-field checks for the CloudNativePG kinds (and the Barman Cloud plugin's ObjectStore),
 * which have no Java model on Maven Central. The fields are those the operator's CRDs mark required
 * or cannot work without.
 */
final class CloudNativePgChecks {
  static final Set<String> GROUPS = Set.of("postgresql.cnpg.io", "barmancloud.cnpg.io");

  private CloudNativePgChecks() {}

  static boolean covers(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    return GROUPS.contains(apiVersion.substring(0, Math.max(0, apiVersion.indexOf('/'))));
  }

  /** Problems in one CNPG object; {@code all} is the whole render, for references. */
  static List<String> violations(JsonNode object, List<JsonNode> all) {
    List<String> problems = new ArrayList<>();
    String name = Kustomize.describe(object);
    JsonNode spec = object.path("spec");
    switch (object.path("apiVersion").asText() + " " + object.path("kind").asText()) {
      case "postgresql.cnpg.io/v1 Cluster" -> {
        requirePositiveInt(spec, "instances", name, problems);
        requireText(spec, "storage/size", name, problems);
        for (JsonNode role : spec.path("managed").path("roles")) {
          requireText(role, "name", name + " role", problems);
          requireText(
              role, "passwordSecret/name", name + " role " + role.path("name").asText(), problems);
        }
        for (JsonNode plugin : spec.path("plugins")) {
          requireText(plugin, "name", name + " plugin", problems);
          String store = plugin.path("parameters").path("barmanObjectName").asText("");
          if (!store.isEmpty() && !exists(all, "ObjectStore", store)) {
            problems.add(name + ": plugin names ObjectStore " + store + " which is not rendered");
          }
        }
      }
      case "postgresql.cnpg.io/v1 Database" -> {
        requireText(spec, "name", name, problems);
        requireText(spec, "owner", name, problems);
        requireCluster(spec, name, all, problems);
        for (JsonNode schema : spec.path("schemas")) {
          requireText(schema, "name", name + " schema", problems);
        }
      }
      case "postgresql.cnpg.io/v1 ScheduledBackup" -> {
        requireText(spec, "schedule", name, problems);
        if (spec.path("schedule").asText().trim().split("\\s+").length != 6) {
          problems.add(name + ": spec.schedule needs six cron fields (seconds first)");
        }
        requireCluster(spec, name, all, problems);
        if (spec.path("method").asText().equals("plugin")) {
          requireText(spec, "pluginConfiguration/name", name, problems);
        }
      }
      case "barmancloud.cnpg.io/v1 ObjectStore" -> {
        requireText(spec, "configuration/destinationPath", name, problems);
        JsonNode s3 = spec.path("configuration").path("s3Credentials");
        for (String key : List.of("accessKeyId", "secretAccessKey")) {
          requireText(s3, key + "/name", name + " s3Credentials", problems);
          requireText(s3, key + "/key", name + " s3Credentials", problems);
        }
      }
      default -> problems.add(name + ": no checks for " + object.path("apiVersion").asText());
    }
    return problems;
  }

  private static void requireCluster(
      JsonNode spec, String name, List<JsonNode> all, List<String> problems) {
    requireText(spec, "cluster/name", name, problems);
    String cluster = spec.path("cluster").path("name").asText("");
    if (!cluster.isEmpty() && !exists(all, "Cluster", cluster)) {
      problems.add(name + ": refers to Cluster " + cluster + " which is not rendered");
    }
  }

  private static boolean exists(List<JsonNode> all, String kind, String name) {
    return all.stream()
        .anyMatch(
            o ->
                o.path("kind").asText().equals(kind)
                    && o.path("metadata").path("name").asText().equals(name));
  }

  private static void requireText(JsonNode node, String path, String owner, List<String> problems) {
    JsonNode value = node.at("/" + path);
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(owner + ": " + path.replace('/', '.') + " is required");
    }
  }

  private static void requirePositiveInt(
      JsonNode node, String path, String owner, List<String> problems) {
    JsonNode value = node.at("/" + path);
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
      problems.add(owner + ": " + path + " must be a positive integer");
    }
  }
}
