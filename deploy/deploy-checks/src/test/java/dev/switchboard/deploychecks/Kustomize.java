package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Renders an overlay with {@code kubectl kustomize} and reads back every object it produced. */
final class Kustomize {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Kustomize() {}

  /** Every directory under deploy/kubernetes/overlays that holds a kustomization.yaml. */
  static List<Path> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(DeployTree.kubernetes().resolve("overlays"))) {
      return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
          .sorted()
          .toList();
    }
  }

  static List<JsonNode> render(Path kubectl, Path overlay) throws Exception {
    Processes.Result result =
        Processes.run(overlay, List.of(kubectl.toString(), "kustomize", overlay.toString()));
    assertEquals(
        0,
        result.exitCode(),
        () -> "kubectl kustomize " + overlay + " failed:\n" + result.describe());
    return parse(result.stdout());
  }

  static List<JsonNode> parse(String multiDocumentYaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(multiDocumentYaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    }
    return objects;
  }

  static String describe(JsonNode object) {
    return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
  }
}
