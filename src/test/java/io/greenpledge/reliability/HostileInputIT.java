package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded fuzzing of every input surface: REST bodies, query strings, WebSocket frames and ingest
 * batches — wrong types, huge and tiny numbers, unicode, deep nesting, oversized payloads. The
 * answer is always a 4xx problem or an error frame: never a 500, never a hang, never a dropped
 * desk.
 */
public class HostileInputIT {

  private static final long SEED = 20261127L;
  private static final int CASES = 150;

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

  /**
   * A random JSON-ish value: sometimes valid JSON of the wrong shape, sometimes not JSON at all.
   */
  public static String value(Random random, int depth) {
    switch (random.nextInt(depth > 3 ? 9 : 12)) {
      case 0:
        return "null";
      case 1:
        return String.valueOf(random.nextBoolean());
      case 2:
        return String.valueOf(random.nextLong());
      case 3:
        return List.of(
                "1e400",
                "-1e400",
                "0",
                "-0.0",
                "1e-400",
                "123456789012345678901234567890",
                "NaN",
                "Infinity",
                "0.0000001",
                "-72.5")
            .get(random.nextInt(10));
      case 4:
        return "\""
            + List.of(
                    "",
                    "CEA",
                    "碳排放配额",
                    "\\u0000",
                    "𝄞🙂",
                    "' OR 1=1 --",
                    "<script>",
                    "%00",
                    "a".repeat(5000),
                    "2026-13-45",
                    "PLG-DEMO-B-0001")
                .get(random.nextInt(11))
            + "\"";
      case 5:
        return "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
      case 6:
        return "{\"" + key(random) + "\":" + value(random, depth + 1) + "}";
      case 7:
        return "[".repeat(3000) + "]".repeat(3000);
      case 8:
        return "{\"a\":";
      case 9:
        return "{\"instrument\":"
            + value(random, depth + 1)
            + ",\"price\":"
            + value(random, depth + 1)
            + ",\"quantity\":"
            + value(random, depth + 1)
            + ",\"ts\":"
            + value(random, depth + 1)
            + ",\"seq\":"
            + value(random, depth + 1)
            + "}";
      case 10:
        return "{\"ticks\":[" + value(random, depth + 1) + "]}";
      default:
        return "{\"borrower\":"
            + value(random, depth + 1)
            + ",\"loanId\":\"L\",\"instrument\":\"CEA\","
            + "\"quantity\":"
            + value(random, depth + 1)
            + ",\"certificate\":\"C\",\"outstanding\":"
            + value(random, depth + 1)
            + ",\"lines\":"
            + value(random, depth + 1)
            + "}";
    }
  }

  static String key(Random random) {
    return List.of(
            "ticks",
            "shocks",
            "sigmaMultiple",
            "outstanding",
            "lines",
            "op",
            "channels",
            "token",
            "x")
        .get(random.nextInt(9));
  }

  static String query(Random random) {
    return List.of(
            "",
            "?after=-1",
            "?after=abc",
            "?limit=0",
            "?limit=99999999999",
            "?interval=1m&from=yesterday",
            "?interval=1d&from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
            "?interval=1m&from=1900-01-01T00:00:00Z",
            "?state=DELETED",
            "?after=%00%ff",
            "?bank=%27%20OR%201%3D1",
            "?limit=1&limit=2")
        .get(random.nextInt(12));
  }

  @Test
  void restNeverAnswers5xx() {
    Random random = new Random(SEED);
    String admin = node.tokens().token("fuzz", "BANK-F", "viewer", "risk-admin");
    String feed = node.tokens().token("fuzz-feed", null, "feed");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      String body = value(random, 0);
      List<Http.Response> responses =
          List.of(
              node.http().post("/api/v1/ticks", feed, body),
              node.http().post("/api/v1/pledges", admin, body),
              node.http().post("/api/v1/stress", admin, body),
              node.http().patch("/api/v1/pledges/PLG-nothing", admin, body),
              node.http().get("/api/v1/prices/CEA/candles" + query(random), admin),
              node.http().get("/api/v1/alerts" + query(random), admin),
              node.http().get("/api/v1/pledges" + query(random), admin),
              node.http()
                  .get(
                      "/api/v1/pledges/"
                          + List.of("%2e%2e", "x".repeat(300), "PLG-1", "碳").get(random.nextInt(4))
                          + "/valuation",
                      admin));
      for (Http.Response response : responses) {
        if (response.status() >= 500
            || (response.status() >= 400
                && !response.contentType().startsWith("application/problem+json"))) {
          failures.add(
              response.status() + " for " + abbreviate(body) + ": " + abbreviate(response.body()));
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void anOversizedBodyIs413() {
    String huge = "{\"ticks\":[" + "{\"instrument\":\"CEA\"},".repeat(300_000) + "{}]}";
    Http.Response response =
        node.http().post("/api/v1/ticks", node.tokens().token("big", null, "feed"), huge);
    assertEquals(413, response.status());
  }

  @Test
  void webSocketFramesGetErrorFramesAndTheDeskNextToThemKeepsItsStream() throws Exception {
    Random random = new Random(SEED + 1);
    try (WsClient bystander = new WsClient(node.gateway().httpPort(), "/ws");
        WsClient connector = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      bystander.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("calm", "BANK-F", "viewer")));
      bystander.next("authenticated", 5);
      connector.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("fuzz-ws", null, "feed")));
      connector.next("authenticated", 5);
      // A desk may send 20 frames a second (bursts of 40):
      // each fuzzing desk sends 30, then a fresh one.
      WsClient fuzzer = null;
      for (int i = 0; i < CASES; i++) {
        if (i % 30 == 0) {
          fuzzer = freshFuzzer(fuzzer);
        }
        String frame =
            random.nextBoolean()
                ? value(random, 0)
                : "{\"op\":"
                    + List.of(
                            "\"subscribe\"",
                            "\"unsubscribe\"",
                            "\"ticks\"",
                            "\"auth\"",
                            "7",
                            "null",
                            "\"" + "x".repeat(100) + "\"")
                        .get(random.nextInt(7))
                    + ",\""
                    + key(random)
                    + "\":"
                    + value(random, 0)
                    + "}";
        if (frame.contains("\"auth\"")) {
          continue; // a bad refresh is tested elsewhere; keep the fuzzer signed in
        }
        fuzzer.sendRaw(frame);
        connector.sendRaw(frame);
      }
      freshFuzzer(fuzzer).close();
      for (WsClient ws : List.of(connector, bystander)) {
        ws.send(new JsonObject().put("op", "ping"));
        assertEquals(
            "pong", ws.next("pong", 10).getString("type"), "socket still up and answering");
      }
    }
    assertEquals(200, node.http().get("/health/ready", null).status());
  }

  /**
   * Checks the previous fuzzing desk still answers (its frames were all handled), then opens a new
   * one.
   */
  private static WsClient freshFuzzer(WsClient previous) throws InterruptedException {
    if (previous != null) {
      previous.send(new JsonObject().put("op", "ping"));
      assertEquals(
          "pong",
          previous.next("pong", 10).getString("type"),
          "the fuzzing desk is still answered");
      previous.close();
    }
    WsClient fuzzer = new WsClient(node.gateway().httpPort(), "/ws");
    fuzzer.send(
        new JsonObject()
            .put("op", "auth")
            .put("token", node.tokens().token("fuzz", "BANK-F", "viewer")));
    fuzzer.next("authenticated", 5);
    return fuzzer;
  }

  private static String abbreviate(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }
}
