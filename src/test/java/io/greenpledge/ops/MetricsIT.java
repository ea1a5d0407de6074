package io.greenpledge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * /metrics of a running gateway, and every query of the Grafana dashboard and the alert rules
 * against it.
 */
class MetricsIT {

  @TempDir static Path dataDir;
  static Gateway gateway;
  static Set<String> exported;

  /** Series Prometheus itself adds when it scrapes. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");

  private static final Pattern METRIC =
      Pattern.compile("\\b((?:gp|vertx|jvm|process|system|up)[a-z0-9_]*)\\b");

  @BeforeAll
  static void start() throws Exception {
    gateway =
        Gateway.start(
            TestSettings.with(dataDir, "GP_FEEDS", "simulator,ingest", "GP_DEMO", "true"));
    Http http = new Http(gateway.httpPort());
    // One request first, so the HTTP server metrics have a series to show.
    assertEquals(200, http.get("/health/live", null).status());
    String scrape = new Http(gateway.managementPort()).get("/metrics", null).body();
    exported = new HashSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        exported.add(line.split("[{ ]")[0]);
      }
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void businessMetricsAreExportedWithBoundedLabels() {
    for (String name :
        List.of(
            "gp_ticks_accepted_total",
            "gp_ticks_rejected_total",
            "gp_feed_age_seconds",
            "gp_mark_price",
            "gp_instrument_stale",
            "gp_tick_to_valuation_seconds_bucket",
            "gp_tick_to_push_seconds_bucket",
            "gp_ws_connections",
            "gp_ws_updates_conflated_total",
            "gp_ws_slow_closed_total",
            "gp_ws_window_seconds",
            "gp_pledges",
            "gp_alerts_total",
            "gp_journal_lag_seconds",
            "gp_journal_batch_size_count",
            "gp_database_up",
            "vertx_http_server_requests_total")) {
      assertTrue(
          exported.contains(name), name + " is not exported; got " + new TreeSet<>(exported));
    }
    String scrape = new Http(gateway.managementPort()).get("/metrics", null).body();
    assertTrue(
        !scrape.contains("pledgeId") && !scrape.contains("PLG-"), "no pledge id may be a label");
  }

  /**
   * The HTTP series name an operation by its path template, as vertx-web's routes named it, never
   * by the path asked (one series per operation, not per pledge); a path no operation has is one
   * series too.
   */
  @Test
  void httpSeriesAreByOperationNotByPath() {
    Http http = new Http(gateway.httpPort());
    String viewer = Tokens.local(dataDir).token("m", "DEMO-A", "viewer");
    for (String id : List.of("PLG-DEMO-A-0001", "PLG-DEMO-A-0002", "PLG-DEMO-A-0003")) {
      assertEquals(200, http.get("/api/v1/pledges/" + id + "/valuation", viewer).status());
    }
    assertEquals(404, http.get("/api/v1/pledges/PLG-DEMO-A-0001/nowhere", viewer).status());
    String scrape = new Http(gateway.managementPort()).get("/metrics", null).body();
    Matcher valuation =
        Pattern.compile(
                "vertx_http_server_requests_total\\{code=\"200\",method=\"GET\","
                    + "route=\"/api/v1/>/pledges/:id/valuation\"} ([0-9.]+)")
            .matcher(scrape);
    assertTrue(valuation.find(), "no series for the valuation's route in\n" + scrape);
    assertTrue(Double.parseDouble(valuation.group(1)) >= 3, valuation.group());
    assertTrue(!scrape.contains("PLG-") && !scrape.contains("nowhere"), "a path became a label");
  }

  /**
   * Any token is a method to HTTP: one a client invents, before it authenticates, must not become a
   * series that lives as long as the process (vertx-micrometer labelled it as sent).
   */
  @Test
  void methodsAClientInventsAreOneSeries() {
    Http http = new Http(gateway.httpPort());
    for (String method : List.of("INVENTED1", "INVENTED2", "INVENTED3")) {
      int status = http.send(method, "/api/v1/prices/CEA", null, null).status();
      assertTrue(status >= 400 && status < 500, method + " answered " + status);
    }
    String scrape = new Http(gateway.managementPort()).get("/metrics", null).body();
    assertTrue(!scrape.contains("INVENTED"), "an invented method became a label");
    Matcher other =
        Pattern.compile(
                "vertx_http_server_requests_total\\{code=\"4[0-9][0-9]\",method=\"OTHER\",[^}]*} ([0-9.]+)")
            .matcher(scrape);
    double counted = 0;
    while (other.find()) {
      counted += Double.parseDouble(other.group(1));
    }
    assertTrue(counted >= 3, "the invented methods were not counted as OTHER:\n" + scrape);
  }

  /** Every bank's figures are on the management port only; the public port has no /metrics. */
  @Test
  void metricsAreOnTheManagementPortNeverOnThePublicOne() {
    assertEquals(404, new Http(gateway.httpPort()).get("/metrics", null).status());
    Http management = new Http(gateway.managementPort());
    assertEquals(200, management.get("/metrics", null).status());
    assertEquals(200, management.get("/health/ready", null).status());
    assertEquals(200, new Http(gateway.httpPort()).get("/health/ready", null).status());
  }

  /** With GP_MANAGEMENT_TOKEN, /metrics asks for it; health stays open for the kubelet. */
  @Test
  void aManagementTokenGuardsTheMetrics(@org.junit.jupiter.api.io.TempDir Path other)
      throws Exception {
    try (Gateway guarded =
        Gateway.start(
            TestSettings.with(
                other,
                "GP_FEEDS",
                "ingest",
                "GP_DEMO",
                "false",
                "GP_MANAGEMENT_TOKEN",
                "s3cret"))) {
      Http management = new Http(guarded.managementPort());
      assertEquals(401, management.get("/metrics", null).status());
      assertEquals(401, management.get("/metrics", "wrong").status());
      assertEquals(200, management.get("/metrics", "s3cret").status());
      assertEquals(200, management.get("/health/live", null).status());
    }
  }

  /**
   * The dashboard has the standard variables, every query is scoped by them, every panel states its
   * unit, and HTTP latency is shown by route.
   */
  @Test
  void theDashboardIsScopedAndStatesItsUnits() throws Exception {
    JsonObject dashboard =
        new JsonObject(Files.readString(Path.of("dashboards", "greenpledge-gateway.json")));
    List<String> variables = new java.util.ArrayList<>();
    dashboard
        .getJsonObject("templating")
        .getJsonArray("list")
        .forEach(v -> variables.add(((JsonObject) v).getString("name")));
    assertEquals(List.of("datasource", "namespace", "job", "instance"), variables);
    boolean latencyByRoute = false;
    for (Object entry : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) entry;
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
      assertTrue(
          panel.getJsonObject("fieldConfig").getJsonObject("defaults").getString("unit") != null,
          panel.getString("title") + " states no unit");
      for (Object target : panel.getJsonArray("targets")) {
        String expr = ((JsonObject) target).getString("expr");
        assertTrue(expr.contains("instance=~\"$instance\""), "not scoped: " + expr);
        latencyByRoute |=
            expr.contains("vertx_http_server_response_time_seconds_bucket")
                && expr.contains("route");
      }
    }
    assertTrue(latencyByRoute, "no HTTP latency by route");
  }

  @Test
  void everyDashboardQueryNamesAnExportedMetric() throws Exception {
    JsonObject dashboard =
        new JsonObject(Files.readString(Path.of("dashboards", "greenpledge-gateway.json")));
    int queries = 0;
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
      for (Object t : targets) {
        assertNamesExported(((JsonObject) t).getString("expr"));
        queries++;
      }
    }
    assertTrue(queries >= 15, "the dashboard has " + queries + " queries");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertRuleNamesAnExportedMetric() throws Exception {
    java.util.Map<String, Object> rules =
        new Yaml().load(Files.readString(Path.of("ops", "prometheus", "greenpledge-rules.yml")));
    int count = 0;
    for (Object group : (List<Object>) rules.get("groups")) {
      for (Object rule : (List<Object>) ((java.util.Map<String, Object>) group).get("rules")) {
        assertNamesExported((String) ((java.util.Map<String, Object>) rule).get("expr"));
        count++;
      }
    }
    assertEquals(11, count);
  }

  private static void assertNamesExported(String expr) {
    Matcher matcher = METRIC.matcher(expr);
    int found = 0;
    while (matcher.find()) {
      String name = matcher.group(1);
      if (FROM_PROMETHEUS.contains(name)) {
        found++;
        continue;
      }
      found++;
      assertTrue(
          exported.contains(name),
          "'" + expr + "' uses " + name + ", which the gateway does not export");
    }
    assertTrue(found > 0, "no metric in '" + expr + "'");
  }
}
