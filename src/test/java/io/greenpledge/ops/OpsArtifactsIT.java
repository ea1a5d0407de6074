package io.greenpledge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The operations artifacts are code too: alert rules pass promtool's checks and unit tests, the
 * PrometheusRule deploys exactly those rules, and every kustomize overlay builds. promtool and
 * kubectl come from Debian (installed by .ci/run).
 */
class OpsArtifactsIT {

  private static final Path RULES = Path.of("ops", "prometheus", "greenpledge-rules.yml");

  /** Runs a command; returns its output, failing the test on a non-zero exit. */
  static String run(Path directory, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
    assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    return output;
  }

  @Test
  void alertRulesAreValid() throws Exception {
    assertTrue(
        run(Path.of("."), "promtool", "check", "rules", RULES.toString())
            .contains("SUCCESS: 10 rules found"));
  }

  @Test
  void alertRulesPassTheirPromtoolUnitTests() throws Exception {
    assertTrue(
        run(Path.of("ops", "prometheus"), "promtool", "test", "rules", "greenpledge-rules-test.yml")
            .contains("SUCCESS"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusRuleDeploysExactlyTheTestedRules() throws IOException {
    Yaml yaml = new Yaml();
    Map<String, Object> rules = yaml.load(Files.readString(RULES));
    Map<String, Object> resource =
        yaml.load(Files.readString(Path.of("k8s", "base", "prometheusrule.yaml")));
    assertEquals("PrometheusRule", resource.get("kind"));
    assertEquals(rules.get("groups"), ((Map<String, Object>) resource.get("spec")).get("groups"));
  }

  @Test
  void everyOverlayBuilds() throws Exception {
    for (String overlay : List.of("dev", "prod")) {
      String manifests =
          run(Path.of("."), "kubectl", "kustomize", Path.of("k8s", "overlays", overlay).toString());
      for (String kind :
          List.of(
              "Deployment",
              "Service",
              "HorizontalPodAutoscaler",
              "PodDisruptionBudget",
              "NetworkPolicy",
              "ServiceMonitor",
              "PrometheusRule",
              "ConfigMap")) {
        assertTrue(manifests.contains("kind: " + kind), overlay + " lacks a " + kind);
      }
      assertTrue(
          manifests.contains("clusterIP: None"), overlay + " lacks the headless discovery service");
      assertTrue(
          manifests.contains("readOnlyRootFilesystem: true")
              && manifests.contains("runAsNonRoot: true"));
    }
  }
}
