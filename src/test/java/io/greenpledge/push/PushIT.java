package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.StalledSocket;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real WebSocket clients on /ws against a gateway fed by a connector. CEA has no history: band
 * [64.80, 79.20] around the 72.00 reference.
 */
class PushIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_WS_SLOW_CLOSE",
          "1s",
          "GP_WS_WINDOW",
          "20ms");

  static long tickSeq;

  static String viewer(String bank) {
    return node.tokens().token("desk-" + bank, bank, "viewer");
  }

  static synchronized long trade(String instrument, double price) {
    long seq = ++tickSeq;
    JsonObject tick =
        new JsonObject()
            .put("instrument", instrument)
            .put("price", price)
            .put("quantity", 100)
            .put("ts", Instant.now().toString())
            .put("seq", seq);
    JsonObject result =
        node.http()
            .post(
                "/api/v1/ticks",
                node.tokens().token("vendor", null, "feed"),
                new JsonObject().put("ticks", new JsonArray().add(tick)).encode())
            .json();
    assertEquals(1, result.getInteger("accepted"), result.encode());
    return seq;
  }

  static String pledge(String bank, String instrument, double quantity, long outstanding) {
    JsonObject body =
        new JsonObject()
            .put("borrower", "b")
            .put("borrowerCode", "91350100M000100Y43")
            .put("loanId", "L-" + bank + "-" + quantity + "-" + outstanding)
            .put("instrument", instrument)
            .put("quantity", quantity)
            .put("certificate", "C-" + bank + "-" + quantity)
            .put("outstanding", outstanding)
            .put("markBasis", "LAST");
    Http.Response created =
        node.http()
            .post(
                "/api/v1/pledges", node.tokens().token("admin", bank, "risk-admin"), body.encode());
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }

  static WsClient desk(String token, JsonObject subscribe) throws Exception {
    WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
    ws.send(new JsonObject().put("op", "auth").put("token", token));
    assertEquals("authenticated", ws.next("authenticated", 5).getString("type"));
    ws.send(subscribe.put("op", "subscribe"));
    return ws;
  }

  static JsonObject subscribe(String... channels) {
    return new JsonObject().put("channels", new JsonArray(List.of((Object[]) channels)));
  }

  /** Items of update frames until one satisfies {@code last}; every frame must carry seq and ts. */
  static List<JsonObject> itemsUntil(WsClient ws, java.util.function.Predicate<JsonObject> last)
      throws Exception {
    List<JsonObject> items = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      JsonObject frame = ws.next("update", 15);
      assertTrue(frame.containsKey("seq") && frame.containsKey("ts"), frame.encode());
      for (Object o : frame.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        items.add(item);
        if (last.test(item)) {
          return items;
        }
      }
    }
    throw new AssertionError("never saw the expected item; got " + items.size() + " items");
  }

  /** A valuation item computed from the connector tick {@code seq}. */
  static boolean isValuationOfTick(JsonObject item, long seq) {
    if (!item.getString("type").equals("valuation")) {
      return false;
    }
    JsonObject ticks =
        item.getJsonObject("data").getJsonObject("provenance").getJsonObject("ticks");
    return ticks != null
        && ticks.getString("source").equals("ingest:vendor")
        && ticks.getLong("seq") == seq;
  }

  @Test
  void snapshotThenLiveUpdatesStampedWithTheTickTime() throws Exception {
    try (WsClient ws = desk(viewer("BANK-P"), subscribe("prices"))) {
      JsonObject snapshot = ws.next("snapshot", 5);
      assertEquals("prices", snapshot.getString("channel"));
      assertEquals(9, snapshot.getJsonArray("items").size());
      Instant before = Instant.now();
      trade("CCER", 86.00);
      List<JsonObject> items =
          itemsUntil(
              ws,
              i ->
                  i.getString("channel").equals("prices:CCER")
                      && i.getJsonObject("data").getDouble("lastTrade") == 86.00);
      JsonObject item = items.get(items.size() - 1);
      assertEquals("price", item.getString("type"));
      assertTrue(item.getLong("ts") >= before.toEpochMilli() - 1, "item ts is the tick's time");
    }
  }

  @Test
  void callsAndChangeRequestsReachTheirBanksDesksOnly() throws Exception {
    trade("CCER", 86.00);
    String admin = node.tokens().token("admin", "BANK-Q1", "risk-admin");
    String checker = node.tokens().token("checker", "BANK-Q1", "risk-admin");
    try (WsClient own = desk(viewer("BANK-Q1"), subscribe("calls", "change-requests"));
        WsClient other = desk(viewer("BANK-Q2"), subscribe("calls", "change-requests"))) {
      for (WsClient ws : List.of(own, other)) {
        for (int i = 0; i < 2; i++) {
          JsonObject snapshot = ws.next("snapshot", 5);
          assertEquals(0, snapshot.getJsonArray("items").size(), snapshot.encode());
        }
      }
      // A pledge drawn down into MARGIN_CALL (coverage 1.25) opens a call, by the book.
      String id = pledge("BANK-Q1", "CCER", 1_000, 10_000);
      double marketValue =
          node.http()
              .get("/api/v1/pledges/" + id + "/valuation", admin)
              .json()
              .getDouble("marketValue");
      long drawn = Math.round(marketValue / 1.25);
      assertEquals(
          200,
          node.http()
              .patch("/api/v1/pledges/" + id, admin, "{\"outstanding\":" + drawn + "}")
              .status());
      JsonObject call = itemsUntil(own, i -> i.getString("channel").equals("calls")).get(0);
      assertEquals("call", call.getString("type"));
      assertEquals(id, call.getJsonObject("data").getString("pledgeId"));
      assertEquals("OPEN", call.getJsonObject("data").getString("state"));
      // A quantity decrease waits for a checker: pending, then approved.
      JsonObject asked =
          node.http().patch("/api/v1/pledges/" + id, admin, "{\"quantity\":900}").json();
      JsonObject pending =
          itemsUntil(own, i -> i.getString("channel").equals("change-requests")).get(0);
      assertEquals("change-request", pending.getString("type"));
      assertEquals(asked.getLong("id"), pending.getJsonObject("data").getLong("id"));
      assertEquals("PENDING", pending.getJsonObject("data").getString("state"));
      assertEquals(
          200,
          node.http()
              .post("/api/v1/change-requests/" + asked.getLong("id") + "/approve", checker, "{}")
              .status());
      JsonObject approved =
          itemsUntil(
                  own,
                  i ->
                      i.getString("channel").equals("change-requests")
                          && i.getJsonObject("data").getString("state").equals("APPROVED"))
              .stream()
              .reduce((a, b) -> b)
              .orElseThrow();
      assertEquals("checker", approved.getJsonObject("data").getString("checker"));
      // The other bank's desk heard nothing of it: the first call it sees is its own.
      String theirs = pledge("BANK-Q2", "CCER", 1_000, 10_000);
      assertEquals(
          200,
          node.http()
              .patch(
                  "/api/v1/pledges/" + theirs,
                  node.tokens().token("admin", "BANK-Q2", "risk-admin"),
                  "{\"outstanding\":" + drawn + "}")
              .status());
      List<JsonObject> seen = itemsUntil(other, i -> i.getString("channel").equals("calls"));
      for (JsonObject item : seen) {
        assertEquals("BANK-Q2", item.getJsonObject("data").getString("bank"), item.encode());
      }
      // A snapshot on a new desk holds the live call and nothing of the other bank.
      try (WsClient late = desk(viewer("BANK-Q1"), subscribe("calls"))) {
        JsonObject snapshot = late.next("snapshot", 5);
        assertEquals(1, snapshot.getJsonArray("items").size(), snapshot.encode());
        assertEquals(
            id,
            snapshot
                .getJsonArray("items")
                .getJsonObject(0)
                .getJsonObject("data")
                .getString("pledgeId"));
      }
    }
  }

  @Test
  void aBankNeverReceivesAnotherBanksValuationOrAlert() throws Exception {
    pledge("BANK-X", "CQEA", 10_000, 200_000);
    pledge("BANK-Y", "CQEA", 10_000, 200_000);
    try (WsClient x = desk(viewer("BANK-X"), subscribe("valuations", "alerts"));
        WsClient y = desk(viewer("BANK-Y"), subscribe("valuations", "alerts"))) {
      // 10,000 × price / 200,000: coverage = price / 20;
      // 29.00 → 1.45 healthy, 27.50 → 1.375 warning.
      long last = 0;
      // Each window conflates a pledge's valuations, so the messages follow the windows the trades
      // span, not the trades: 40 trades fit in 8-10 windows of 20 ms on a fast machine (16 items).
      for (int i = 0; i < 100; i++) {
        last = trade("CQEA", i % 2 == 0 ? 29.00 : 25.50);
      }
      long lastSeq = last;
      for (WsClient ws : List.of(x, y)) {
        String bank = ws == x ? "BANK-X" : "BANK-Y";
        List<JsonObject> items = itemsUntil(ws, i -> isValuationOfTick(i, lastSeq));
        long alerts = items.stream().filter(i -> i.getString("type").equals("alert")).count();
        assertTrue(items.size() > 20, "many messages checked: " + items.size());
        assertTrue(alerts > 0, "transitions produced alerts");
        for (JsonObject item : items) {
          String owner = item.getJsonObject("data").getString("bank");
          assertEquals(bank, owner, item.encode());
        }
      }
    }
  }

  @Test
  void alertsResumeAfterAReconnectWithNoGapAndNoDuplicate() throws Exception {
    pledge("BANK-R", "CQCER", 10_000, 160_000);
    // Band ±20 % of 25.00. coverage = price / 16: 25.00 → 1.5625 healthy; 21.50 → 1.344 warning;
    // 20.50 → 1.281 margin call. The first trade also makes CQCER fresh (an alert of its own).
    List<Long> seen = new ArrayList<>();
    long lastSeen;
    try (WsClient ws = desk(viewer("BANK-R"), subscribe("alerts"))) {
      ws.next("snapshot", 5);
      trade("CQCER", 25.00);
      trade("CQCER", 21.50);
      collectAlerts(ws, seen, 2);
      lastSeen = seen.get(seen.size() - 1);
    }
    trade("CQCER", 20.50); // missed while disconnected: WARNING > MARGIN_CALL
    trade("CQCER", 25.00); // missed too: MARGIN_CALL > HEALTHY
    // Missed: the two transitions and the margin call they open and cure.
    awaitStoredAlerts("BANK-R", lastSeen + 4);
    try (WsClient ws =
        desk(
            viewer("BANK-R"),
            subscribe("alerts").put("resume", new JsonObject().put("alerts", lastSeen)))) {
      JsonObject snapshot = ws.next("snapshot", 5);
      snapshot.getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getLong("seq")));
      trade("CQCER", 21.50); // live after the resume: HEALTHY > WARNING
      collectAlerts(ws, seen, 1);
    }
    List<Long> expected = new ArrayList<>();
    for (long s = seen.get(0); s < seen.get(0) + seen.size(); s++) {
      expected.add(s);
    }
    assertEquals(expected, seen);
    assertEquals(7, seen.size());
  }

  private static void collectAlerts(WsClient ws, List<Long> seen, int n) throws Exception {
    int got = 0;
    while (got < n) {
      for (Object o : ws.next("update", 10).getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        if (item.getString("type").equals("alert")) {
          seen.add(item.getLong("seq"));
          got++;
        }
      }
    }
  }

  /**
   * The REST view is the store: wait until the alerts exist there (bounded, event-driven by polling
   * the API).
   */
  private static void awaitStoredAlerts(String bank, long seq) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonArray items =
          node.http()
              .get("/api/v1/alerts?after=" + (seq - 1), viewer(bank))
              .json()
              .getJsonArray("items");
      if (!items.isEmpty()) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("alert " + seq + " of " + bank + " never stored");
  }

  @Test
  void aStalledClientIsClosedAndNeverSlowsAFastOne() throws Exception {
    for (int i = 0; i < 300; i++) {
      pledge("BANK-S", "CEA", 1_000 + i, 50_000);
    }
    try (WsClient fast = desk(viewer("BANK-S"), subscribe("valuations", "prices"));
        StalledSocket stalled = new StalledSocket(node.gateway().httpPort(), "/ws")) {
      stalled.sendText(new JsonObject().put("op", "auth").put("token", viewer("BANK-S")).encode());
      stalled.sendText(subscribe("valuations", "prices").put("op", "subscribe").encode());
      long closedBefore = node.gateway().pushSlowConsumersClosed();
      long seq = 0;
      long started = System.nanoTime();
      // Every tick must reach the fast client while the
      // other one stalls, until the stalled one is cut.
      while (node.gateway().pushSlowConsumersClosed() == closedBefore
          && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
        long tick = trade("CEA", 70.00 + (seq % 2));
        seq = tick;
        itemsUntil(fast, i -> isValuationOfTick(i, tick));
      }
      assertTrue(
          node.gateway().pushSlowConsumersClosed() > closedBefore, "the stalled socket was closed");
      assertEquals(
          1,
          node.gateway().pushSessions(),
          "only the fast socket is left, so nothing is kept for the other");
      long after = trade("CEA", 71.50);
      assertNotNull(itemsUntil(fast, i -> isValuationOfTick(i, after)));
    }
  }

  @Test
  void anExpiredTokenClosesTheSocketWith4401() throws Exception {
    JsonObject claims =
        node.tokens()
            .claims("short", "BANK-E", "viewer")
            .put("exp", Instant.now().getEpochSecond() + 2);
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws")) {
      ws.send(new JsonObject().put("op", "auth").put("token", node.tokens().sign(claims)));
      assertEquals("authenticated", ws.next("authenticated", 5).getString("type"));
      assertEquals(4401, ws.awaitClose(10).code());
    }
  }

  @Test
  void badFramesGetAnErrorFrameAndTheSocketStaysUp() throws Exception {
    try (WsClient ws = desk(node.tokens().token("connector", null, "feed"), subscribe("prices"))) {
      ws.next("snapshot", 5);
      ws.sendRaw("[1,2,3");
      assertEquals("malformed", ws.next("error", 5).getString("code"));
      ws.send(subscribe("valuations").put("op", "subscribe"));
      assertEquals("forbidden-channel", ws.next("error", 5).getString("code"));
      ws.send(subscribe("prices:EUA").put("op", "subscribe"));
      assertEquals("unknown-channel", ws.next("error", 5).getString("code"));
      ws.send(new JsonObject().put("op", "ping"));
      assertEquals("pong", ws.next("pong", 5).getString("type"));
    }
  }
}
