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
            .contains("SUCCESS: 11 rules found"));
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

  /** Every rule links a runbook page that exists, with its three parts, and names its team. */
  @Test
  @SuppressWarnings("unchecked")
  void everyRuleLinksItsRunbookAndNamesItsTeam() throws IOException {
    Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
    int checked = 0;
    for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        String alert = (String) rule.get("alert");
        String url = (String) ((Map<String, Object>) rule.get("annotations")).get("runbook_url");
        assertEquals("https://greenpledge.io/runbooks/" + alert, url, alert);
        Path page = Path.of("docs", "runbooks", alert + ".md");
        assertTrue(Files.exists(page), page + " is missing");
        String text = Files.readString(page);
        for (String part : List.of("## Meaning", "## First checks", "## Fixes")) {
          assertTrue(text.contains(part), page + " lacks " + part);
        }
        Object team = ((Map<String, Object>) rule.get("labels")).get("team");
        assertTrue(List.of("sre", "risk").contains(team), alert + " has no team: " + team);
        checked++;
      }
    }
    assertEquals(11, checked);
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
      checkConventions(overlay, manifests);
      checkAgainstKubernetesTypes(overlay, manifests);
    }
  }

  /**
   * Every built resource read as its Kubernetes API type (fabric8's models, generated from the
   * Kubernetes OpenAPI schemas): a wrong type fails to read, and a field the type does not have (a
   * typo, a field of another version) is reported with its path. Custom resources of the Prometheus
   * operator are read generically.
   */
  private static void checkAgainstKubernetesTypes(String overlay, String manifests) {
    io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    List<String> unknown = new java.util.ArrayList<>();
    int typed = 0;
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.isBlank()) {
        continue;
      }
      Object resource = serialization.unmarshal(document);
      if (resource instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
        continue;
      }
      typed++;
      unknownFields(resource, resource.getClass().getSimpleName(), unknown, 0);
    }
    assertTrue(typed >= 8, overlay + ": only " + typed + " resources read as Kubernetes types");
    assertEquals(List.of(), unknown, overlay + ": fields Kubernetes does not know");
  }

  private static void unknownFields(Object node, String path, List<String> unknown, int depth) {
    if (node == null || depth > 30 || !node.getClass().getName().startsWith("io.fabric8")) {
      if (node instanceof java.util.Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          unknownFields(item, path + "[" + i++ + "]", unknown, depth + 1);
        }
      } else if (node instanceof Map<?, ?> map) {
        map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, depth + 1));
      }
      return;
    }
    for (java.lang.reflect.Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
        continue;
      }
      unknownFields(value, path + "." + getter.getName().substring(3), unknown, depth + 1);
    }
  }

  /**
   * What an SRE would check before go-live: no deprecated kustomize fields, the replica count left
   * to the HPA, one scrape path (the management port, no prometheus.io annotations), the management
   * port reachable from the monitoring namespace only, probes on it, a preStop, memory bounded, and
   * the development overlay running the database it points at.
   */
  @SuppressWarnings("unchecked")
  private static void checkConventions(String overlay, String manifests) throws IOException {
    for (Path kustomization :
        List.of(
            Path.of("k8s", "base", "kustomization.yaml"),
            Path.of("k8s", "overlays", overlay, "kustomization.yaml"))) {
      String text = Files.readString(kustomization);
      for (String deprecated : List.of("commonLabels:", "patchesStrategicMerge:", "bases:")) {
        assertTrue(!text.contains(deprecated), kustomization + " uses " + deprecated);
      }
    }
    assertTrue(!manifests.contains("prometheus.io/"), overlay + ": scraped twice");
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    for (Object document : new Yaml().loadAll(manifests)) {
      Map<String, Object> resource = (Map<String, Object>) document;
      String name = (String) ((Map<String, Object>) resource.get("metadata")).get("name");
      byKind.put(resource.get("kind") + "/" + name, resource);
    }
    Map<String, Object> deployment = byKind.get("Deployment/greenpledge-gateway");
    Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
    assertTrue(!spec.containsKey("replicas"), overlay + ": replicas fight the HPA");
    Map<String, Object> container =
        ((List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec"))
                    .get("containers"))
            .get(0);
    assertTrue(
        ((Map<String, Object>) container.get("lifecycle")).containsKey("preStop"),
        overlay + ": no preStop");
    String probes =
        String.valueOf(container.get("readinessProbe")) + container.get("livenessProbe");
    assertTrue(probes.contains("port=management"), overlay + ": probes not on the management port");
    String options = String.valueOf(container.get("env"));
    for (String bound : List.of("MaxRAMPercentage", "MaxDirectMemorySize", "MaxMetaspaceSize")) {
      assertTrue(options.contains(bound), overlay + ": " + bound + " not set");
    }
    String monitor = String.valueOf(byKind.get("ServiceMonitor/greenpledge-gateway"));
    assertTrue(monitor.contains("port=management"), overlay + ": scraped off the public port");
    String policy = String.valueOf(byKind.get("NetworkPolicy/greenpledge-gateway"));
    assertTrue(
        policy.contains("kubernetes.io/metadata.name=monitoring") && policy.contains("port=9464"),
        overlay + ": the management port is not limited to the monitoring namespace");
    if (overlay.equals("dev")) {
      assertTrue(
          byKind.containsKey("StatefulSet/postgres") && byKind.containsKey("Service/postgres"),
          "the dev overlay points at a PostgreSQL it does not run");
    }
  }
}
