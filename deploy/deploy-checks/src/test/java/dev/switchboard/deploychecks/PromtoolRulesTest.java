package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promtool check rules} accepts every rule file in deploy/monitoring/prometheus. */
class PromtoolRulesTest {

  @Test
  void everyRuleFilePassesPromtool() throws Exception {
    Path promtool = Tools.PROMTOOL.require();
    List<Path> ruleFiles;
    try (Stream<Path> files = Files.list(DeployTree.monitoring().resolve("prometheus"))) {
      ruleFiles = files.filter(f -> f.toString().endsWith(".rules.yml")).sorted().toList();
    }
    assertFalse(ruleFiles.isEmpty(), "no *.rules.yml in deploy/monitoring/prometheus");
    for (Path file : ruleFiles) {
      Processes.Result result =
          Processes.run(
              file.getParent(), List.of(promtool.toString(), "check", "rules", file.toString()));
      assertEquals(0, result.exitCode(), result::describe);
      assertTrue(result.stdout().contains("SUCCESS"), result::describe);
    }
  }

  @Test
  void promtoolRejectsABrokenRule(@TempDir Path dir) throws Exception {
    Path promtool = Tools.PROMTOOL.require();
    Path broken = dir.resolve("broken.rules.yml");
    Files.writeString(
        broken,
        """
        groups:
          - name: broken
            rules:
              - alert: Broken
                expr: sum by (le (rate(x[5m]))
        """);
    Processes.Result result =
        Processes.run(dir, List.of(promtool.toString(), "check", "rules", broken.toString()));
    assertNotEquals(0, result.exitCode(), "promtool must reject an unparseable expression");
  }
}
