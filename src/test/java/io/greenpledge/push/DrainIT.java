package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayProcess;
import io.greenpledge.support.Http;
import io.greenpledge.support.Ports;
import io.greenpledge.support.Tokens;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout on the embedded default: the gateway process gets SIGTERM while desks are connected.
 * Each desk hears a {@code reconnect} frame and a 1001 close; the gateway's own JavaScript client
 * (run by Node) reconnects to the restarted gateway with its backoff and resumes its alerts: it
 * ends holding every stored alert of its bank exactly once, in order, including those made while it
 * was away.
 */
class DrainIT {

  private static final Path CLIENT = Path.of("src/main/resources/webroot/client/greenpledge.js");
  private static final Path WS = Path.of(".tools/node/node_modules/ws/wrapper.mjs");
  private static final Map<String, String> SETTINGS =
      Map.of("GP_FEEDS", "ingest", "GP_DEMO", "false");

  @TempDir Path dataDir;

  @Test
  void desksAreToldToReconnectAndTheClientResumesWithNoLostAlert() throws Exception {
    assertTrue(Files.exists(WS), WS + " is missing: run bash ops/install-test-tools.sh (README)");
    int port = Ports.free();
    GatewayProcess gateway = GatewayProcess.start(dataDir, port, SETTINGS);
    Tokens tokens = Tokens.local(dataDir);
    String feed = tokens.token("vendor", null, "feed");
    String viewer = tokens.token("desk", "BANK-A", "viewer");
    Process node = null;
    try {
      Http http = new Http(port);
      assertEquals(
          201,
          http.post("/api/v1/pledges", tokens.token("admin", "BANK-A", "risk-admin"), pledge())
              .status());
      ProcessBuilder client =
          new ProcessBuilder("node", "src/test/node/desk-client.mjs")
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      client.environment().put("CLIENT", CLIENT.toAbsolutePath().toString());
      client.environment().put("WS", WS.toAbsolutePath().toString());
      client.environment().put("URL", "ws://127.0.0.1:" + port + "/ws");
      client.environment().put("TOKEN", viewer);
      node = client.start();
      BlockingQueue<JsonObject> events = lines(node);
      await(events, e -> "up".equals(e.getString("state")), "the client connected");

      // 10,000 t of CEA against 500,000 CNY marked at the last trade: coverage = price / 50
      http.post("/api/v1/ticks", feed, tick(69.90, 1));
      List<Long> seen = new ArrayList<>();
      collectUntil(events, seen, 2);

      WsClient desk = new WsClient(port, "/ws");
      desk.send(new JsonObject().put("op", "auth").put("token", viewer));
      desk.next("authenticated", 5);
      gateway.terminate(60);
      JsonObject reconnect = desk.next("reconnect", 5);
      assertTrue(reconnect.getLong("afterMillis") >= 0 && reconnect.getLong("afterMillis") < 3000);
      assertEquals(1001, desk.awaitClose(5).code());
      desk.close();
      await(events, e -> "reconnect".equals(e.getString("event")), "the client heard reconnect");
      await(events, e -> Integer.valueOf(1001).equals(e.getInteger("code")), "and the 1001");

      gateway = GatewayProcess.start(dataDir, port, SETTINGS);
      // made as soon as the gateway is back: the client may still be backing off
      http.post("/api/v1/ticks", feed, tick(64.90, 2));
      // the first alert made after the restart (WARNING to MARGIN_CALL), live or resumed
      collectUntil(events, seen, 3);
      JsonArray stored =
          http.get("/api/v1/alerts?after=0", tokens.token("reader", "BANK-A", "viewer"))
              .json()
              .getJsonArray("items");
      List<Long> expected = new ArrayList<>();
      stored.forEach(a -> expected.add(((JsonObject) a).getLong("seq")));
      assertTrue(expected.size() >= 3, "alerts before and after the restart: " + stored);
      collectUntil(events, seen, expected.get(expected.size() - 1));
      assertEquals(expected, seen, "every alert once, in order, across the drain");
    } finally {
      if (node != null) {
        node.destroy();
        node.waitFor(10, TimeUnit.SECONDS);
      }
      gateway.close();
    }
  }

  /** Starts reading the client's event lines. */
  private static BlockingQueue<JsonObject> lines(Process node) {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  events.add(new JsonObject(line));
                }
              } catch (Exception e) {
                events.add(new JsonObject().put("event", "reader-failed"));
              }
            },
            "desk-client-output");
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  private static JsonObject await(
      BlockingQueue<JsonObject> events, Predicate<JsonObject> wanted, String what)
      throws InterruptedException {
    while (true) {
      JsonObject event = events.poll(30, TimeUnit.SECONDS);
      assertNotNull(event, "within 30 s: " + what);
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  /** Collects the alert seqs the client passes on until it has seen {@code last}. */
  private static void collectUntil(BlockingQueue<JsonObject> events, List<Long> seen, long last)
      throws InterruptedException {
    while (seen.isEmpty() || seen.get(seen.size() - 1) < last) {
      JsonObject event =
          await(events, e -> "alert".equals(e.getString("event")), "alert " + last + " " + seen);
      seen.add(event.getLong("seq"));
    }
  }

  private static String pledge() {
    return new JsonObject()
        .put("borrower", "b")
        .put("borrowerCode", "91350100M000100Y43")
        .put("loanId", "L")
        .put("instrument", "CEA")
        .put("quantity", 10_000)
        .put("certificate", "C")
        .put("outstanding", 500_000)
        .put("markBasis", "LAST")
        .encode();
  }

  private static String tick(double price, long seq) {
    return new JsonObject()
        .put(
            "ticks",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("instrument", "CEA")
                        .put("price", price)
                        .put("quantity", 10)
                        .put("ts", Instant.now().toString())
                        .put("seq", seq)))
        .encode();
  }
}
