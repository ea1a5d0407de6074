package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Desks coming and going while ticks flow leave nothing behind; a burst of 100× the feed is
 * absorbed.
 */
class ChurnAndBurstIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_RATE_LIMIT",
          "0",
          "GP_INGEST_RATE_LIMIT",
          "0");

  private static JsonObject ticks(AtomicLong seq, String instrument, int n, double price) {
    JsonArray ticks = new JsonArray();
    for (int i = 0; i < n; i++) {
      ticks.add(
          new JsonObject()
              .put("instrument", instrument)
              .put("price", price + (i % 5) * 0.01)
              .put("quantity", 1)
              .put("ts", Instant.now().toString())
              .put("seq", seq.incrementAndGet()));
    }
    return new JsonObject().put("ticks", ticks);
  }

  @Test
  void desksConnectingAndLeavingWhileTicksFlowLeaveNoSessionBehind() throws Exception {
    String feed = node.tokens().token("churn-feed", null, "feed");
    AtomicLong seq = new AtomicLong();
    AtomicBoolean flowing = new AtomicBoolean(true);
    Thread ticker =
        new Thread(
            () -> {
              while (flowing.get()) {
                node.http().post("/api/v1/ticks", feed, ticks(seq, "CCER", 20, 85.00).encode());
              }
            });
    ticker.start();
    try {
      for (int round = 0; round < 6; round++) {
        List<WsClient> desks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
          ws.send(
              new JsonObject()
                  .put("op", "auth")
                  .put("token", node.tokens().token("d" + i, "BANK-" + (i % 3), "viewer")));
          ws.send(
              new JsonObject()
                  .put("op", "subscribe")
                  .put("channels", new JsonArray().add("prices").add("valuations").add("alerts")));
          desks.add(ws);
        }
        for (WsClient ws : desks) {
          ws.next("snapshot", 10);
          ws.close();
        }
      }
    } finally {
      flowing.set(false);
      ticker.join(10_000);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (node.gateway().pushSessions() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, node.gateway().pushSessions(), "every session was released");
    assertTrue(seq.get() > 100, "ticks flowed during the churn: " + seq.get());
  }

  @Test
  void aBurstOfAHundredTimesTheNormalRateIsAbsorbed() {
    // CEA's simulated rate is 1 trade/s; 20,000 in a few seconds is far beyond 100×.
    String feed = node.tokens().token("burst-feed", null, "feed");
    AtomicLong seq = new AtomicLong();
    long accepted = 0;
    for (int batch = 0; batch < 20; batch++) {
      JsonObject result =
          node.http().post("/api/v1/ticks", feed, ticks(seq, "CEA", 1000, 72.00).encode()).json();
      accepted += result.getInteger("accepted");
    }
    assertEquals(20_000, accepted);
    // Every acknowledged batch is already journaled: nothing waits in memory afterwards.
    assertEquals(0, queuedJournal());
    JsonObject price =
        node.http().get("/api/v1/prices/CEA", node.tokens().token("v", "BANK-0", "viewer")).json();
    assertEquals("ingest:burst-feed", price.getJsonObject("lastTick").getString("source"));
    assertEquals(20_000, price.getJsonObject("lastTick").getLong("seq"));
  }

  @Test
  void aSourceThatFallsSilentMakesValuationsStaleAndAlerts() throws Exception {
    // CQ-EUR goes stale after 30 min of trading time without a trade. Its last trade is 29 min 58 s
    // old: fresh when it arrives, stale two seconds later, with nothing more from the source.
    JsonObject pledge =
        new JsonObject()
            .put("borrower", "b")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-S")
            .put("instrument", "CQ-EUR")
            .put("quantity", 1000)
            .put("certificate", "C-S")
            .put("outstanding", 50_000)
            .put("rightStart", "2025-01-01")
            .put("rightExpiry", "2031-01-01");
    String id =
        node.http()
            .post(
                "/api/v1/pledges",
                node.tokens().token("admin", "BANK-Z", "risk-admin"),
                pledge.encode())
            .json()
            .getString("id");
    String viewer = node.tokens().token("desk", "BANK-Z", "viewer");
    Instant traded = Instant.now().minusSeconds(30 * 60 - 2);
    JsonObject tick =
        new JsonObject()
            .put("instrument", "CQ-EUR")
            .put("price", 121.00)
            .put("quantity", 10)
            .put("ts", traded.toString())
            .put("seq", 1);
    assertEquals(
        1,
        node.http()
            .post(
                "/api/v1/ticks",
                node.tokens().token("silent", null, "feed"),
                new JsonObject().put("ticks", new JsonArray().add(tick)).encode())
            .json()
            .getInteger("accepted"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> kinds = new ArrayList<>();
    while (!kinds.contains("STALE") && System.nanoTime() < deadline) {
      kinds.clear();
      node.http()
          .get("/api/v1/alerts?after=0", viewer)
          .json()
          .getJsonArray("items")
          .forEach(a -> kinds.add(((JsonObject) a).getString("kind")));
      Thread.onSpinWait();
    }
    assertEquals(List.of("FRESH", "STALE"), kinds);
    JsonObject valuation = node.http().get("/api/v1/pledges/" + id + "/valuation", viewer).json();
    assertTrue(valuation.getBoolean("stale"));
    // A quiet market keeps the conservative figure of its last trades, min(121.00, VWAP20 121.00),
    // never the catalog reference (120.00) as if trading had never happened. Trading days since
    // the last trade: 0 on the same day; 1 when the run straddles midnight in Chongqing (the
    // simulator's calendar trades every day).
    assertEquals(
        "CONSERVATIVE",
        valuation.getJsonObject("provenance").getString("basis"),
        "stale, not wrong");
    assertEquals(121.00, valuation.getDouble("mark"));
    java.time.ZoneId chongqing = java.time.ZoneId.of("Asia/Shanghai");
    int days =
        traded.atZone(chongqing).toLocalDate().equals(java.time.LocalDate.now(chongqing)) ? 0 : 1;
    assertEquals(days, valuation.getJsonObject("provenance").getInteger("staleDays"));
  }

  private static long queuedJournal() {
    String metrics =
        new io.greenpledge.support.Http(node.gateway().managementPort())
            .get("/metrics", null)
            .body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("gp_journal_queued ")) {
        return (long) Double.parseDouble(line.substring("gp_journal_queued ".length()));
      }
    }
    throw new AssertionError("gp_journal_queued not exported");
  }
}
