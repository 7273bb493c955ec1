package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runbook's standalone manifests (deploy/kubernetes/tools/*.yaml) are as strict as the
 * overlays.
 */
class ToolManifestsTest {

  @Test
  void everyToolManifestDeserializesStrictly() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(DeployTree.kubernetes().resolve("tools"))) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      for (JsonNode object : Kustomize.parse(Files.readString(file))) {
        problems.addAll(StrictModel.violations(object));
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theKafkaToolboxIsAdmittedByTheBrokersAndUsesTheOpsUser() throws Exception {
    JsonNode pod =
        Kustomize.parse(
                Files.readString(DeployTree.kubernetes().resolve("tools/kafka-ops-pod.yaml")))
            .get(0);
    assertEquals("true", pod.at("/metadata/labels/switchboard.dev~1kafka-client").asText());
    assertEquals("switchboard-ops", pod.at("/spec/volumes/0/secret/secretName").asText());
  }
}
