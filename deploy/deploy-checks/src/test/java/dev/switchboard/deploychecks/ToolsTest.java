package dev.switchboard.deploychecks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing tool fails the build under CI=true and only skips (with the apt package) elsewhere. */
class ToolsTest {
  private static final Map<String, String> NO_KUBECTL =
      Map.of("KUBECTL", "/nonexistent/kubectl", "PATH", "/nonexistent");

  @Test
  void aMissingToolFailsUnderCi() {
    Map<String, String> ci = new java.util.HashMap<>(NO_KUBECTL);
    ci.put("CI", "true");
    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> Tools.KUBECTL.require(ci));
    assertTrue(
        failure.getMessage().contains("apt-get install -y kubernetes-client"),
        failure.getMessage());
  }

  @Test
  void aMissingToolSkipsOutsideCiNamingThePackage() {
    TestAbortedException skipped =
        assertThrows(
            TestAbortedException.class,
            () -> Tools.PROMTOOL.require(Map.of("PATH", "/nonexistent")));
    assertTrue(
        skipped.getMessage().contains("apt-get install -y prometheus"), skipped.getMessage());
  }
}
