package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.support.Http;
import io.greenpledge.support.Ports;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of ingest: every tick acknowledged to the connector is in the journal after
 * the crash, and the alert sequence of a restarted gateway continues without a gap.
 */
class CrashIT {

  @TempDir Path dataDir;

  private static String tick(long seq, double price) {
    return new JsonObject()
        .put("instrument", "CEA")
        .put("price", price)
        .put("quantity", 10)
        .put("ts", Instant.now().toString())
        .put("seq", seq)
        .encode();
  }

  @Test
  void acknowledgedTicksSurviveKillDashNine() throws Exception {
    String url = TestDatabase.freshUrl();
    int port = Ports.free();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.greenpledge.Main",
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("gateway.log").toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "GP_PG_URL",
                url,
                "GP_HTTP_PORT",
                String.valueOf(port),
                "GP_HTTP_HOST",
                "127.0.0.1",
                "GP_DATA_DIR",
                dataDir.toString(),
                "GP_FEEDS",
                "ingest",
                "GP_DEMO",
                "false",
                "GP_RATE_LIMIT",
                "0",
                "GP_INGEST_RATE_LIMIT",
                "0"));
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("GP_")
                    && !Set.of(
                            "GP_PG_URL",
                            "GP_HTTP_PORT",
                            "GP_HTTP_HOST",
                            "GP_DATA_DIR",
                            "GP_FEEDS",
                            "GP_DEMO",
                            "GP_RATE_LIMIT",
                            "GP_INGEST_RATE_LIMIT")
                        .contains(k));
    Process gateway = builder.start();
    Http http = new Http(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!ready(http) && System.nanoTime() < deadline) {
      assertTrue(gateway.isAlive(), "the gateway process died at start");
      Thread.onSpinWait();
    }
    Tokens tokens = Tokens.local(dataDir);
    String feed = tokens.token("vendor", null, "feed");
    String viewer = tokens.token("desk", "BANK-K", "viewer");

    // A pledge and one transition before the crash: coverage = price / 50.
    JsonObject pledge =
        new JsonObject()
            .put("borrower", "b")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L")
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", "C")
            .put("outstanding", 500_000)
            .put("markBasis", "LAST");
    assertEquals(
        201,
        http.post("/api/v1/pledges", tokens.token("admin", "BANK-K", "risk-admin"), pledge.encode())
            .status());
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    long seq = 0;
    post(http, feed, ++seq, 69.90, acknowledged); // HEALTHY → WARNING
    long alertsBefore = awaitAlerts(http, viewer, 1);

    // Stream batches and pull the plug part-way.
    Thread writer =
        new Thread(
            () -> {
              long s = 1;
              while (true) {
                try {
                  JsonArray ticks = new JsonArray();
                  long first = s + 1;
                  for (int i = 0; i < 50; i++) {
                    ticks.add(new JsonObject(tick(++s, 69.00 + (s % 10) * 0.05)));
                  }
                  Http.Response response =
                      http.post(
                          "/api/v1/ticks", feed, new JsonObject().put("ticks", ticks).encode());
                  if (response.status() == 200) {
                    for (long k = first; k <= s; k++) {
                      acknowledged.add(k);
                    }
                  }
                } catch (RuntimeException connectionGone) {
                  return;
                }
              }
            });
    writer.start();
    while (acknowledged.size() < 1000) {
      Thread.onSpinWait();
    }
    gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    writer.join(30_000);

    Set<Long> journaled = new HashSet<>();
    try (Connection connection = TestDatabase.connect(url);
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT seq FROM ticks WHERE source = 'ingest:vendor'")) {
      while (rows.next()) {
        journaled.add(rows.getLong(1));
      }
    }
    assertTrue(
        journaled.containsAll(acknowledged),
        (acknowledged.size() - journaled.size())
            + " acknowledged ticks are missing from the journal");

    // A restarted gateway continues the alert sequence without a gap.
    try (Gateway restarted =
        Gateway.start(
            TestSettings.with(
                dataDir, "GP_PG_URL", url, "GP_FEEDS", "ingest", "GP_DEMO", "false"))) {
      Http again = new Http(restarted.httpPort());
      long last = journaled.stream().mapToLong(Long::longValue).max().orElse(0);
      post(again, feed, last + 1, 64.90, new HashSet<>()); // → MARGIN_CALL
      long after = awaitAlerts(again, viewer, alertsBefore + 1);
      JsonArray items = again.get("/api/v1/alerts?after=0", viewer).json().getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        assertEquals(
            i + 1,
            items.getJsonObject(i).getLong("seq"),
            "alert sequence has a gap: " + items.encode());
      }
      assertTrue(after > alertsBefore);
    }
  }

  private static boolean ready(Http http) {
    try {
      return http.get("/health/ready", null).status() == 200;
    } catch (RuntimeException notYetListening) {
      return false;
    }
  }

  private static void post(Http http, String feed, long seq, double price, Set<Long> acknowledged) {
    Http.Response response =
        http.post(
            "/api/v1/ticks",
            feed,
            new JsonObject()
                .put("ticks", new JsonArray().add(new JsonObject(tick(seq, price))))
                .encode());
    assertEquals(200, response.status(), response.body());
    acknowledged.add(seq);
  }

  /** Waits (bounded) until the bank has at least {@code n} stored alerts; returns how many. */
  private static long awaitAlerts(Http http, String viewer, long n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long count = 0;
    while (System.nanoTime() < deadline) {
      count = http.get("/api/v1/alerts?after=0", viewer).json().getJsonArray("items").size();
      if (count >= n) {
        return count;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("only " + count + " alerts stored, expected " + n);
  }
}
