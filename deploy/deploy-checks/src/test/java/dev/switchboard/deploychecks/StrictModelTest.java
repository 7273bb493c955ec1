package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks catch the mistakes they exist for (so a green render means something). */
class StrictModelTest {

  @Test
  void aMisspeltProbeInADeploymentIsReported() throws Exception {
    List<String> problems =
        StrictModel.violations(
            one(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: web
                          livenesProbe: {httpGet: {path: /q/health/live, port: 8080}}
                """));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("livenesProbe"), problems::toString);
  }

  @Test
  void aCorrectDeploymentPasses() throws Exception {
    assertEquals(
        List.of(),
        StrictModel.violations(
            one(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: web
                          livenessProbe: {httpGet: {path: /q/health/live, port: http}}
                          resources: {limits: {cpu: "1", memory: 1Gi}}
                """)));
  }

  @Test
  void anUnknownFieldInAStrimziTopicIsReported() throws Exception {
    List<String> problems =
        StrictModel.violations(
            one(
                """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec: {partitions: 3, replicas: 3, retention: 1d}
                """));
    assertTrue(problems.toString().contains("retention"), problems::toString);
  }

  @Test
  void aFieldThatV1NoLongerHasIsReportedOnAV1Kafka() throws Exception {
    String kafka =
        """
        apiVersion: kafka.strimzi.io/%s
        kind: Kafka
        metadata: {name: c}
        spec:
          kafka:
            replicas: 3
            listeners: [{name: tls, port: 9093, type: internal, tls: true}]
        """;
    assertTrue(
        StrictModel.violations(one(kafka.formatted("v1"))).toString().contains("replicas"),
        "spec.kafka.replicas exists only in v1beta2");
    assertEquals(List.of(), StrictModel.violations(one(kafka.formatted("v1beta2"))));
  }

  @Test
  void aKindWithoutATypedModelIsReported() throws Exception {
    List<String> problems =
        StrictModel.violations(
            one(
                """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """));
    assertTrue(problems.toString().contains("no typed fabric8 model"), problems::toString);
  }

  @Test
  void aCloudNativePgDatabaseWithoutOwnerOrClusterIsReported() throws Exception {
    JsonNode database =
        one(
            """
            apiVersion: postgresql.cnpg.io/v1
            kind: Database
            metadata: {name: d}
            spec: {name: app, cluster: {name: missing}}
            """);
    String problems = CloudNativePgChecks.violations(database, List.of(database)).toString();
    assertTrue(problems.contains("owner is required"), problems);
    assertTrue(problems.contains("Cluster missing which is not rendered"), problems);
  }

  @Test
  void selectorsMatchLabelsAndExpressions() throws Exception {
    JsonNode selector =
        one(
            """
            matchLabels: {app: a}
            matchExpressions: [{key: tier, operator: In, values: [web]}]
            """);
    assertTrue(Selectors.matches(selector, java.util.Map.of("app", "a", "tier", "web")));
    assertTrue(!Selectors.matches(selector, java.util.Map.of("app", "a", "tier", "db")));
    assertTrue(!Selectors.matches(selector, java.util.Map.of("app", "b", "tier", "web")));
  }

  private static JsonNode one(String yaml) throws Exception {
    return Kustomize.parse(yaml).get(0);
  }
}
