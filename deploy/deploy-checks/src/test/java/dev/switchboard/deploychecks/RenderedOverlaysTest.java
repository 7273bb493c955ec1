package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.Topics;
import dev.switchboard.devstack.TopicPlan;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders every overlay of deploy/kubernetes with {@code kubectl kustomize} (the same command CI
 * and operators run) and checks what a cluster would receive.
 */
class RenderedOverlaysTest {
  private static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();
  private static final Pattern SECRET_LIKE =
      Pattern.compile("(?i).*(password|secret|token|key|pepper).*");

  @BeforeAll
  static void renderEveryOverlay() throws Exception {
    Path kubectl = Tools.KUBECTL.require();
    for (Path overlay : Kustomize.overlays()) {
      RENDERED.put(overlay.getFileName().toString(), Kustomize.render(kubectl, overlay));
    }
    assertTrue(
        RENDERED.keySet().containsAll(Set.of("dev", "prod")),
        "overlays dev and prod must exist, found " + RENDERED.keySet());
  }

  @Test
  void everyObjectDeserializesStrictlyIntoItsModel() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (JsonNode object : objects) {
            if (CloudNativePgChecks.covers(object)) {
              problems.addAll(CloudNativePgChecks.violations(object, objects));
            } else if (StrictModel.hasModel(object)) {
              problems.addAll(StrictModel.violations(object));
            } else {
              problems.add(
                  Kustomize.describe(object)
                      + ": no model and no checks for "
                      + object.path("apiVersion").asText());
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void everyWorkloadHasThreeHealthProbesResourceLimitsAndADisruptionBudget() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (JsonNode workload : workloads(objects)) {
            String name = Kustomize.describe(workload);
            for (JsonNode container : workload.at("/spec/template/spec/containers")) {
              String where = name + " container " + container.path("name").asText();
              Map<String, String> probes =
                  Map.of(
                      "startupProbe", "/q/health/started",
                      "readinessProbe", "/q/health/ready",
                      "livenessProbe", "/q/health/live");
              probes.forEach(
                  (probe, path) -> {
                    if (!container.path(probe).path("httpGet").path("path").asText().equals(path)) {
                      problems.add(where + ": " + probe + " must GET " + path);
                    }
                  });
              for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                  if (container.path("resources").path(kind).path(resource).asText().isEmpty()) {
                    problems.add(where + ": resources." + kind + "." + resource + " missing");
                  }
                }
              }
            }
            JsonNode podLabels = workload.at("/spec/template/metadata/labels");
            boolean covered =
                ofKind(objects, "PodDisruptionBudget").stream()
                    .anyMatch(
                        pdb ->
                            Selectors.matches(
                                pdb.at("/spec/selector"), Selectors.labels(podLabels)));
            if (!covered) {
              problems.add(name + ": no PodDisruptionBudget selects its pods");
            }
          }
          assertTrue(workloads(objects).size() >= 5, overlay + ": expected five workloads");
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void everyDeploymentIsScaledByAHorizontalPodAutoscaler() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            boolean scaled =
                ofKind(objects, "HorizontalPodAutoscaler").stream()
                    .anyMatch(
                        hpa ->
                            hpa.at("/spec/scaleTargetRef/kind").asText().equals("Deployment")
                                && hpa.at("/spec/scaleTargetRef/name").asText().equals(name)
                                && hpa.at("/spec/minReplicas").asInt()
                                    <= hpa.at("/spec/maxReplicas").asInt());
            if (!scaled) {
              problems.add("Deployment/" + name + ": no HorizontalPodAutoscaler targets it");
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void noSecretIsCommittedAndSecretValuesOnlyComeFromSecretReferences() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (JsonNode secret : ofKind(objects, "Secret")) {
            if (!secret.path("data").isEmpty() || !secret.path("stringData").isEmpty()) {
              problems.add(Kustomize.describe(secret) + ": carries literal data");
            }
          }
          for (JsonNode workload : workloads(objects)) {
            for (JsonNode container : workload.at("/spec/template/spec/containers")) {
              for (JsonNode env : container.path("env")) {
                if (SECRET_LIKE.matcher(env.path("name").asText()).matches() && env.has("value")) {
                  problems.add(
                      Kustomize.describe(workload)
                          + ": env "
                          + env.path("name").asText()
                          + " has a literal value");
                }
              }
            }
          }
          for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
            configMap
                .path("data")
                .fields()
                .forEachRemaining(
                    entry -> {
                      for (String line : entry.getValue().asText().split("\n")) {
                        String trimmed = line.trim();
                        int eq = trimmed.indexOf('=');
                        if (trimmed.startsWith("#") || eq < 0) {
                          continue;
                        }
                        String key = trimmed.substring(0, eq);
                        String value = trimmed.substring(eq + 1).trim();
                        if (SECRET_LIKE.matcher(key).matches()
                            && !key.endsWith(".type")
                            && !key.endsWith(".location")
                            && !value.startsWith("${")) {
                          problems.add(
                              Kustomize.describe(configMap) + ": " + key + " is a literal secret");
                        }
                      }
                    });
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void everyNetworkPolicySelectsPodsThatExist() {
    forEachOverlay(
        (overlay, objects) -> {
          List<Selectors.Pod> pods = Selectors.pods(objects);
          List<String> problems = new ArrayList<>();
          for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
            String name = Kustomize.describe(policy);
            if (!Selectors.selectsAny(policy.at("/spec/podSelector"), pods)) {
              problems.add(name + ": spec.podSelector matches no pod");
            }
            for (String direction : List.of("ingress", "egress")) {
              String peers = direction.equals("ingress") ? "from" : "to";
              for (JsonNode rule : policy.at("/spec/" + direction)) {
                for (JsonNode peer : rule.path(peers)) {
                  // Peers in other namespaces (namespaceSelector) are outside the render.
                  if (peer.has("podSelector")
                      && !peer.has("namespaceSelector")
                      && !Selectors.selectsAny(peer.path("podSelector"), pods)) {
                    problems.add(
                        name
                            + ": "
                            + direction
                            + " peer "
                            + peer.path("podSelector")
                            + " matches no pod");
                  }
                }
              }
            }
          }
          for (JsonNode kafka : ofKind(objects, "Kafka")) {
            for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
              for (JsonNode peer : listener.path("networkPolicyPeers")) {
                if (peer.has("podSelector")
                    && !Selectors.selectsAny(peer.path("podSelector"), pods)) {
                  problems.add(Kustomize.describe(kafka) + ": listener peer matches no pod");
                }
              }
            }
          }
          for (JsonNode workload : workloads(objects)) {
            Map<String, String> labels =
                Selectors.labels(workload.at("/spec/template/metadata/labels"));
            boolean isolated =
                ofKind(objects, "NetworkPolicy").stream()
                    .anyMatch(p -> Selectors.matches(p.at("/spec/podSelector"), labels));
            if (!isolated) {
              problems.add(Kustomize.describe(workload) + ": no NetworkPolicy selects its pods");
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void serviceAccountsCarryNoTokenAndNoRights() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (String rbac : List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")) {
            ofKind(objects, rbac)
                .forEach(o -> problems.add(Kustomize.describe(o) + ": grants rights"));
          }
          for (JsonNode workload : workloads(objects)) {
            JsonNode pod = workload.at("/spec/template/spec");
            String account = pod.path("serviceAccountName").asText();
            boolean own =
                ofKind(objects, "ServiceAccount").stream()
                    .anyMatch(
                        sa ->
                            sa.at("/metadata/name").asText().equals(account)
                                && sa.path("automountServiceAccountToken")
                                    .asText()
                                    .equals("false"));
            if (!own || !pod.path("automountServiceAccountToken").asText().equals("false")) {
              problems.add(
                  Kustomize.describe(workload)
                      + ": needs its own ServiceAccount without a mounted token");
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void everyConfigMapAWorkloadMountsIsRendered() {
    forEachOverlay(
        (overlay, objects) -> {
          Set<String> configMaps = names(ofKind(objects, "ConfigMap"));
          List<String> problems = new ArrayList<>();
          for (JsonNode workload : workloads(objects)) {
            for (JsonNode volume : workload.at("/spec/template/spec/volumes")) {
              String name = volume.path("configMap").path("name").asText("");
              if (!name.isEmpty() && !configMaps.contains(name)) {
                problems.add(Kustomize.describe(workload) + ": mounts missing ConfigMap " + name);
              }
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void topicsAreTheContractTopicsWithReplicationThreeAndMinIsrTwo() throws Exception {
    Set<String> expected = new TreeSet<>();
    for (Field field : Topics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && !field.getName().equals("DEAD_LETTER_SUFFIX")) {
        String topic = (String) field.get(null);
        expected.add(topic);
        expected.add(Topics.deadLetterOf(topic));
      }
    }
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          List<JsonNode> topics = ofKind(objects, "KafkaTopic");
          assertEquals(expected, names(topics), overlay + ": KafkaTopics vs contracts Topics");
          for (JsonNode topic : topics) {
            String name = Kustomize.describe(topic);
            if (topic.at("/spec/replicas").asInt() != 3) {
              problems.add(name + ": replicas must be 3");
            }
            if (!topic.at("/spec/config/min.insync.replicas").asText().equals("2")) {
              problems.add(name + ": min.insync.replicas must be 2");
            }
            String policy = topic.at("/spec/config/cleanup.policy").asText();
            boolean compacted =
                topic.at("/metadata/name").asText().equals(Topics.SAFETY_ENFORCEMENT);
            if (!policy.equals(compacted ? "compact" : "delete")) {
              problems.add(name + ": cleanup.policy " + policy);
            }
            if (!compacted && topic.at("/spec/config/retention.ms").asLong() <= 0) {
              problems.add(name + ": retention.ms must be set");
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void devPartitionsAreTheDevStackTopicPlan() {
    List<JsonNode> dev = RENDERED.get("dev");
    for (TopicPlan.TopicSpec topic : TopicPlan.topics()) {
      assertEquals(topic.partitions(), partitions(dev, topic.name()), topic.name());
    }
  }

  @Test
  void ingressesOnlyRouteToRenderedServicePortsAndNeverToQuarkusEndpoints() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          for (JsonNode ingress : ofKind(objects, "Ingress")) {
            for (JsonNode rule : ingress.at("/spec/rules")) {
              for (JsonNode path : rule.at("/http/paths")) {
                String route = path.path("path").asText();
                if (route.equals("/") || route.startsWith("/q")) {
                  problems.add(
                      Kustomize.describe(ingress) + ": exposes " + route + " (and with it /q/*)");
                }
                String service = path.at("/backend/service/name").asText();
                String port = path.at("/backend/service/port/name").asText();
                boolean exists =
                    ofKind(objects, "Service").stream()
                        .anyMatch(
                            s ->
                                s.at("/metadata/name").asText().equals(service)
                                    && s.at("/spec/ports").findValuesAsText("name").contains(port));
                if (!exists) {
                  problems.add(
                      Kustomize.describe(ingress) + ": no Service " + service + " port " + port);
                }
              }
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void consumersNeverOutnumberThePartitionsTheyRead() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          int voicePartitions = partitions(objects, Topics.OUTBOUND_VOICE);
          int voiceNodes =
              one(objects, "StatefulSet", "channel-voice").at("/spec/replicas").asInt();
          if (voiceNodes > voicePartitions) {
            problems.add(voiceNodes + " voice nodes but " + voicePartitions + " voice partitions");
          }
          Map<String, String> readTopic =
              Map.of(
                  "conversation-core", Topics.INBOUND,
                  "channel-whatsapp", Topics.OUTBOUND_WHATSAPP,
                  "safety-review", Topics.SAFETY_TRANSCRIPTS);
          readTopic.forEach(
              (service, topic) -> {
                int max =
                    one(objects, "HorizontalPodAutoscaler", service)
                        .at("/spec/maxReplicas")
                        .asInt();
                if (max > partitions(objects, topic)) {
                  problems.add(
                      service
                          + " may scale to "
                          + max
                          + " but "
                          + topic
                          + " has "
                          + partitions(objects, topic)
                          + " partitions");
                }
              });
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void kafkaUsersOnlyNameRenderedTopicsAndTheirOwnGroup() {
    forEachOverlay(
        (overlay, objects) -> {
          List<String> problems = new ArrayList<>();
          Set<String> topics = names(ofKind(objects, "KafkaTopic"));
          Set<String> users = names(ofKind(objects, "KafkaUser"));
          for (JsonNode user : ofKind(objects, "KafkaUser")) {
            String name = user.at("/metadata/name").asText();
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
              JsonNode resource = acl.path("resource");
              String type = resource.path("type").asText();
              String target = resource.path("name").asText();
              boolean literal = resource.path("patternType").asText("literal").equals("literal");
              if (type.equals("topic") && (!literal || !topics.contains(target))) {
                problems.add(
                    name + ": ACL on topic " + target + " which is not a rendered literal topic");
              }
              boolean describeOnly = acl.path("operations").toString().equals("[\"Describe\"]");
              if (type.equals("group") && !target.startsWith(name) && !describeOnly) {
                problems.add(name + ": ACL on another service's group " + target);
              }
              if (!type.equals("topic") && !type.equals("group")) {
                problems.add(name + ": ACL on " + type + " is more than a service needs");
              }
            }
          }
          for (JsonNode workload : workloads(objects)) {
            String name = workload.at("/metadata/name").asText();
            boolean client =
                workload
                    .at("/spec/template/metadata/labels/switchboard.dev~1kafka-client")
                    .asText()
                    .equals("true");
            if (client && !users.contains(name)) {
              problems.add(name + " talks to Kafka but has no KafkaUser");
            }
          }
          assertNoProblems(overlay, problems);
        });
  }

  @Test
  void voiceNodesKnowTheirOrdinalDrainAndTakeSipOnUdpAndTcp() {
    forEachOverlay(
        (overlay, objects) -> {
          JsonNode voice = one(objects, "StatefulSet", "channel-voice");
          JsonNode pod = voice.at("/spec/template/spec");
          JsonNode container = pod.at("/containers/0");
          String ordinalSource = "";
          for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("SWITCHBOARD_VOICE_NODE_NUMBER")) {
              ordinalSource = env.at("/valueFrom/fieldRef/fieldPath").asText();
            }
          }
          assertEquals("metadata.labels['apps.kubernetes.io/pod-index']", ordinalSource, overlay);
          assertTrue(
              container.at("/lifecycle/preStop").isObject(),
              overlay + ": voice needs a preStop drain");
          assertTrue(
              pod.path("terminationGracePeriodSeconds").asInt() >= 300,
              overlay + ": grace period too short for calls");
          Set<String> sip = new TreeSet<>();
          for (JsonNode port : container.path("ports")) {
            if (port.path("containerPort").asInt() == 5060) {
              sip.add(port.path("protocol").asText());
            }
          }
          assertEquals(Set.of("TCP", "UDP"), sip, overlay + ": SIP protocols");
        });
  }

  private static int partitions(List<JsonNode> objects, String topic) {
    return one(objects, "KafkaTopic", topic).at("/spec/partitions").asInt();
  }

  private static JsonNode one(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> o.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered"));
  }

  private static List<JsonNode> workloads(List<JsonNode> objects) {
    List<JsonNode> workloads = new ArrayList<>(ofKind(objects, "Deployment"));
    workloads.addAll(ofKind(objects, "StatefulSet"));
    return workloads;
  }

  private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static Set<String> names(List<JsonNode> objects) {
    Set<String> names = new TreeSet<>();
    objects.forEach(o -> names.add(o.at("/metadata/name").asText()));
    return names;
  }

  private static void forEachOverlay(BiConsumer<String, List<JsonNode>> check) {
    RENDERED.forEach(check);
  }

  private static void assertNoProblems(String overlay, List<String> problems) {
    assertTrue(
        problems.isEmpty(), () -> "overlay " + overlay + ":\n  " + String.join("\n  ", problems));
  }
}
