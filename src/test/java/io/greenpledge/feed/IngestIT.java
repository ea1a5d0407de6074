package io.greenpledge.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connectors pushing ticks over REST and WebSocket into a gateway with no simulator: every tick is
 * answered, rejects never reach pricing, and an acknowledged tick is already in the journal. CEA
 * has no history here, so its limit band is ±10 % of the 72.00 reference: [64.80, 79.20].
 */
class IngestIT {

  @RegisterExtension
  static final GatewayExtension node = new GatewayExtension("GP_FEEDS", "ingest");

  private static JsonObject tick(String instrument, double price, Instant ts, long seq) {
    return new JsonObject()
        .put("instrument", instrument)
        .put("price", price)
        .put("quantity", 500)
        .put("ts", ts.toString())
        .put("seq", seq);
  }

  private static JsonObject batch(JsonObject... ticks) {
    return new JsonObject().put("ticks", new JsonArray(List.of((Object[]) ticks)));
  }

  private static List<String> statuses(JsonObject result) {
    List<String> statuses = new ArrayList<>();
    result
        .getJsonArray("results")
        .forEach(
            r -> {
              JsonObject o = (JsonObject) r;
              statuses.add(
                  o.getString("status").equals("ACCEPTED") ? "ACCEPTED" : o.getString("reason"));
            });
    return statuses;
  }

  private static List<Long> journaledSeqs(String source) throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (Connection connection =
            TestDatabase.connect(node.gateway().settings().store().pgUrl().orElseThrow());
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT seq FROM ticks WHERE source = '" + source + "' ORDER BY seq")) {
      while (rows.next()) {
        seqs.add(rows.getLong(1));
      }
    }
    return seqs;
  }

  @Test
  void eachTickIsAnsweredAndOnlyAcceptedOnesAreJournaled() throws Exception {
    String feed = node.tokens().token("connector-rest", null, "feed");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    JsonObject result =
        node.http()
            .post(
                "/api/v1/ticks",
                feed,
                batch(
                        tick("CEA", 72.50, now, 1),
                        tick("EUA", 72.50, now, 2),
                        tick("CEA", -1, now, 3),
                        tick("CEA", 90.00, now, 4),
                        tick("CEA", 72.60, now.plusSeconds(3600), 5),
                        tick("CEA", 72.70, now, 6),
                        tick("CEA", 72.70, now, 6),
                        tick("CEA", 72.70, now, 2))
                    .encode())
            .json();
    assertEquals(
        List.of(
            "ACCEPTED",
            "UNKNOWN_INSTRUMENT",
            "INVALID_PRICE",
            "OUTSIDE_LIMIT_BAND",
            "FUTURE_TIMESTAMP",
            "ACCEPTED",
            "DUPLICATE",
            "OUT_OF_ORDER"),
        statuses(result));
    assertEquals(2, result.getInteger("accepted"));
    assertEquals(6, result.getInteger("rejected"));
    // The reply came after the journal write: the two accepted ticks are already there.
    assertEquals(List.of(1L, 6L), journaledSeqs("ingest:connector-rest"));
    JsonObject price =
        node.http().get("/api/v1/prices/CEA", node.tokens().token("a", "DEMO-A", "viewer")).json();
    assertEquals(72.70, price.getDouble("lastTrade"));
  }

  @Test
  void intradayCandlesAggregateTheJournaledTicks() {
    String feed = node.tokens().token("connector-candles", null, "feed");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    node.http()
        .post(
            "/api/v1/ticks",
            feed,
            batch(
                    tick("CQEA", 30.10, now, 1),
                    tick("CQEA", 30.50, now, 2),
                    tick("CQEA", 29.90, now, 3),
                    tick("CQEA", 30.20, now, 4))
                .encode());
    JsonArray candles =
        node.http()
            .get(
                "/api/v1/prices/CQEA/candles?interval=1h",
                node.tokens().token("a", "DEMO-A", "viewer"))
            .json()
            .getJsonArray("items");
    JsonObject hour = candles.getJsonObject(candles.size() - 1);
    assertEquals(30.10, hour.getDouble("open"));
    assertEquals(30.50, hour.getDouble("high"));
    assertEquals(29.90, hour.getDouble("low"));
    assertEquals(30.20, hour.getDouble("close"));
    assertEquals(2000, hour.getDouble("volume"));
    assertEquals(4, hour.getInteger("trades"));
  }

  @Test
  void malformedBatchesAreA400ProblemAndChangeNothing() {
    String feed = node.tokens().token("connector-bad", null, "feed");
    List<String> bodies =
        List.of(
            "{}",
            "{\"ticks\":\"CEA\"}",
            "{\"ticks\":[]}",
            "not json",
            "{\"ticks\":[{\"instrument\":\"CEA\",\"price\":70,\"quantity\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"seq\":\"one\"}]}",
            "{\"ticks\":[{\"instrument\":\"CEA\",\"price\":70,\"quantity\":1,\"ts\":\"yesterday\",\"seq\":1}]}",
            "{\"ticks\":[{\"instrument\":\"CEA\",\"price\":70,\"quantity\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"seq\":1,\"x\":1}]}");
    for (String body : bodies) {
      Http.Response response = node.http().post("/api/v1/ticks", feed, body);
      assertEquals(400, response.status(), body + " → " + response.body());
      assertEquals("application/problem+json", response.contentType());
    }
  }

  @Test
  void webSocketConnectorGetsAnAckAfterTheJournalWrite() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("connector-ws", null, "feed")));
      assertEquals("authenticated", ws.next(5).getString("type"));
      ws.sendRaw("{not json");
      assertEquals("malformed", ws.next("error", 5).getString("code"));
      ws.send(
          new JsonObject()
              .put("op", "ticks")
              .put("id", "b1")
              .put(
                  "ticks",
                  new JsonArray().add(tick("CCER", 85.10, now, 1)).add(tick("CCER", 0, now, 2))));
      JsonObject ack = ws.next("ack", 10);
      assertEquals("b1", ack.getString("id"));
      assertEquals(1, ack.getInteger("accepted"));
      assertEquals(
          "INVALID_PRICE", ack.getJsonArray("results").getJsonObject(1).getString("reason"));
      assertTrue(ack.containsKey("seq") && ack.containsKey("ts"));
    }
    assertEquals(List.of(1L), journaledSeqs("ingest:connector-ws"));
  }

  @Test
  void webSocketWithABadTokenIsClosedWith4401() throws Exception {
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      ws.send(new JsonObject().put("op", "auth").put("token", "forged"));
      assertEquals(4401, ws.awaitClose(5).code());
    }
  }

  @Test
  void webSocketWithoutTheFeedRoleIsClosedWith4403() throws Exception {
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("a", "DEMO-A", "viewer")));
      assertEquals(4403, ws.awaitClose(5).code());
    }
  }

  @Test
  void webSocketThatNeverAuthenticatesIsClosedWith4401() throws Exception {
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      assertEquals(4401, ws.awaitClose(10).code());
    }
  }
}
