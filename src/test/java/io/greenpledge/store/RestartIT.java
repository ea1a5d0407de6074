package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.greenpledge.Gateway;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.config.Settings;
import io.greenpledge.config.SettingsLoader;
import io.greenpledge.engine.Bus;
import io.greenpledge.support.Http;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default deployment: embedded PostgreSQL under the data dir. A tick accepted before a clean
 * shutdown is in the journal after a restart, and the restarted gateway still knows its sequence.
 */
class RestartIT {

  @TempDir Path dataDir;

  private Settings settings() {
    return SettingsLoader.load(
        Optional.empty(),
        Map.of(
            "GP_DATA_DIR",
            dataDir.toString(),
            "GP_HTTP_PORT",
            "0",
            "GP_HTTP_HOST",
            "127.0.0.1",
            "GP_FEEDS",
            "ingest",
            "GP_DEMO",
            "false"));
  }

  private static String tick(String instrument, double price, long seq) {
    return new JsonObject()
        .put(
            "ticks",
            new io.vertx.core.json.JsonArray()
                .add(
                    new JsonObject()
                        .put("instrument", instrument)
                        .put("price", price)
                        .put("quantity", 10)
                        .put("ts", Instant.now().toString())
                        .put("seq", seq)))
        .encode();
  }

  @Test
  void alertSequencesAndStatusesSurviveARestart() throws Exception {
    // 10,000 t of CEA against 500,000 CNY, marked at the last trade: coverage = price / 50.
    String pledge =
        new JsonObject()
            .put("borrower", "b")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L")
            .put("instrument", "CEA")
            .put("quantity", 10_000)
            .put("certificate", "C")
            .put("outstanding", 500_000)
            .put("markBasis", "LAST")
            .encode();
    try (Gateway first = Gateway.start(settings())) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(first.httpPort());
      BlockingQueue<Alert> alerts = subscribe(first);
      assertEquals(
          201,
          http.post("/api/v1/pledges", tokens.token("admin", "BANK-A", "risk-admin"), pledge)
              .status());
      http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick("CEA", 69.90, 1));
      assertEquals(List.of("FRESH", "STATUS_CHANGE"), kinds(take(alerts, 2)));
    }
    try (Gateway second = Gateway.start(settings())) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(second.httpPort());
      BlockingQueue<Alert> alerts = subscribe(second);
      // Restored in WARNING: no second HEALTHY>WARNING; the next transition continues the sequence.
      http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick("CEA", 64.90, 2));
      Alert next = take(alerts, 1).get(0);
      assertEquals("WARNING", ((AlertEvent.StatusChanged) next.event()).from());
      assertEquals("MARGIN_CALL", ((AlertEvent.StatusChanged) next.event()).to());
      assertEquals(3, next.seq());
      io.vertx.core.json.JsonArray stored =
          http.get("/api/v1/alerts?after=0", tokens.token("a", "BANK-A", "viewer"))
              .json()
              .getJsonArray("items");
      // The margin call the transition opened is told after it, in the same sequence.
      assertEquals(
          List.of(1L, 2L, 3L),
          stored.stream()
              .map(o -> (JsonObject) o)
              .filter(a -> !"MARGIN_CALL".equals(a.getString("kind")))
              .map(a -> a.getLong("seq"))
              .toList());
    }
  }

  private static BlockingQueue<Alert> subscribe(Gateway gateway) {
    BlockingQueue<Alert> queue = new LinkedBlockingQueue<>();
    Bus.ALERTS.subscribe(gateway.vertx(), queue::add);
    return queue;
  }

  private static List<Alert> take(BlockingQueue<Alert> queue, int n) throws InterruptedException {
    List<Alert> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Alert alert = queue.poll(10, TimeUnit.SECONDS);
      assertNotNull(alert, "expected " + n + " alerts, got " + taken);
      taken.add(alert);
    }
    return taken;
  }

  private static List<String> kinds(List<Alert> alerts) {
    return alerts.stream().map(a -> a.kind().name()).toList();
  }

  @Test
  void aTickAcceptedBeforeShutdownIsServedAfterRestart() throws Exception {
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String tick =
        new JsonObject()
            .put(
                "ticks",
                new io.vertx.core.json.JsonArray()
                    .add(
                        new JsonObject()
                            .put("instrument", "CQ-COD")
                            .put("price", 9123.45)
                            .put("quantity", 12)
                            .put("ts", ts.toString())
                            .put("seq", 7)))
            .encode();

    try (Gateway first = Gateway.start(settings())) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(first.httpPort());
      assertEquals(
          "ACCEPTED",
          http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick)
              .json()
              .getJsonArray("results")
              .getJsonObject(0)
              .getString("status"));
    }

    try (Gateway second = Gateway.start(settings())) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(second.httpPort());
      JsonObject price =
          http.get("/api/v1/prices/CQ-COD", tokens.token("a", "DEMO-A", "viewer")).json();
      assertEquals(9123.45, price.getDouble("lastTrade"));
      assertEquals(ts.toString(), price.getString("lastTradeAt"));
      JsonObject day =
          http.get(
                  "/api/v1/prices/CQ-COD/candles?interval=1d",
                  tokens.token("a", "DEMO-A", "viewer"))
              .json()
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals(9123.45, day.getDouble("close"));
      // The sequence survived too: the same tick again is a duplicate, not a second trade.
      assertEquals(
          "DUPLICATE",
          http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick)
              .json()
              .getJsonArray("results")
              .getJsonObject(0)
              .getString("reason"));
    }
  }
}
