package dev.switchboard.deploychecks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The pods a render will produce, and Kubernetes label-selector matching against them. */
final class Selectors {
  /** A pod that will exist: from a workload template, or created by an operator from a CR. */
  record Pod(String origin, Map<String, String> labels) {}

  private Selectors() {}

  /**
   * Pods of every Deployment and StatefulSet, plus the pods Strimzi creates for each Kafka (the
   * CR's labels are copied onto them) and CloudNativePG for each Cluster.
   */
  static List<Pod> pods(List<JsonNode> objects) {
    List<Pod> pods = new ArrayList<>();
    for (JsonNode o : objects) {
      String kind = o.path("kind").asText();
      String name = o.path("metadata").path("name").asText();
      switch (kind) {
        case "Deployment", "StatefulSet" ->
            pods.add(new Pod(kind + "/" + name, labels(o.at("/spec/template/metadata/labels"))));
        case "Kafka" -> {
          Map<String, String> labels = labels(o.at("/metadata/labels"));
          labels.put("strimzi.io/cluster", name);
          labels.put("strimzi.io/kind", "Kafka");
          labels.put("strimzi.io/name", name + "-kafka");
          pods.add(new Pod("Strimzi broker of Kafka/" + name, labels));
        }
        case "Cluster" -> {
          if (o.path("apiVersion").asText().startsWith("postgresql.cnpg.io/")) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("cnpg.io/cluster", name);
            labels.put("cnpg.io/podRole", "instance");
            pods.add(new Pod("CloudNativePG instance of Cluster/" + name, labels));
          }
        }
        default -> {
          // not a pod owner
        }
      }
    }
    return pods;
  }

  static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** Whether a LabelSelector (matchLabels and matchExpressions) selects these labels. */
  static boolean matches(JsonNode selector, Map<String, String> labels) {
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      Set<String> values = new HashSet<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      boolean ok =
          switch (expression.path("operator").asText()) {
            case "In" -> values.contains(labels.get(key));
            case "NotIn" -> !values.contains(labels.get(key));
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static boolean selectsAny(JsonNode selector, List<Pod> pods) {
    return pods.stream().anyMatch(pod -> matches(selector, pod.labels()));
  }
}
