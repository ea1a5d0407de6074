package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-token limits: 5 requests/s (burst 10) on REST, 10 ticks/s (burst 20) on ingest. */
class RateLimitIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_RATE_LIMIT",
          "5",
          "GP_INGEST_RATE_LIMIT",
          "10");

  @Test
  void aTokenOverItsRequestRateGets429WithRetryAfterAndOthersAreUnaffected() throws Exception {
    String greedy = node.tokens().token("greedy", "BANK-L", "viewer");
    int ok = 0;
    HttpResponse<String> limited = null;
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < 30 && limited == null; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + node.gateway().httpPort() + "/api/v1/instruments"))
                  .header("Authorization", "Bearer " + greedy)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 429) {
        limited = response;
      } else {
        assertEquals(200, response.statusCode());
        ok++;
      }
    }
    assertTrue(limited != null, "never limited");
    assertTrue(ok >= 10, "the burst of 10 passes, got " + ok);
    assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1);
    assertEquals(
        "application/problem+json", limited.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(
        200,
        node.http()
            .get("/api/v1/instruments", node.tokens().token("calm", "BANK-L", "viewer"))
            .status());
  }

  @Test
  void aConnectorOverItsTickRateGets429AndNothingOfTheBatchIsTaken() {
    String feed = node.tokens().token("firehose", null, "feed");
    JsonArray ticks = new JsonArray();
    for (int i = 1; i <= 25; i++) {
      ticks.add(
          new JsonObject()
              .put("instrument", "CEA")
              .put("price", 72.0)
              .put("quantity", 1)
              .put("ts", Instant.now().toString())
              .put("seq", i));
    }
    Http.Response response =
        node.http().post("/api/v1/ticks", feed, new JsonObject().put("ticks", ticks).encode());
    assertEquals(429, response.status(), response.body());
    assertEquals(
        "CEA",
        node.http()
            .get("/api/v1/prices/CEA", node.tokens().token("v", "BANK-L", "viewer"))
            .json()
            .getString("instrument"));
    assertEquals(
        "REFERENCE",
        node.http()
            .get("/api/v1/prices/CEA", node.tokens().token("v2", "BANK-L", "viewer"))
            .json()
            .getString("basis"),
        "no tick of the refused batch was priced");
  }

  @Test
  void aWebSocketConnectorOverItsRateGetsAnErrorFrameAndStaysConnected() throws Exception {
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("ws-firehose", null, "feed")));
      ws.next("authenticated", 5);
      JsonArray ticks = new JsonArray();
      for (int i = 1; i <= 25; i++) {
        ticks.add(
            new JsonObject()
                .put("instrument", "CCER")
                .put("price", 85.0)
                .put("quantity", 1)
                .put("ts", Instant.now().toString())
                .put("seq", i));
      }
      ws.send(new JsonObject().put("op", "ticks").put("id", "big").put("ticks", ticks));
      JsonObject error = ws.next("error", 5);
      assertEquals("rate-limited", error.getString("code"));
      assertTrue(error.getLong("retryAfter") >= 1);
      ws.send(new JsonObject().put("op", "ping"));
      assertEquals("pong", ws.next("pong", 5).getString("type"));
    }
  }
}
