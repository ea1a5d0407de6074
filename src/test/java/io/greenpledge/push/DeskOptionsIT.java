package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.support.DeskState;
import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The subscribe options over real sockets, on the demo book, with random ticks sent through the
 * ingest API: desks with {@code delta}, {@code fields} and both rebuild the state of a desk that
 * takes every item whole, and a desk with {@code maxFrequency: 1} gets at most one update of a key
 * per second (by the frames' send times).
 */
class DeskOptionsIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS", "ingest", "GP_DEMO", "true", "GP_WS_WINDOW", "20ms", "GP_RATE_LIMIT", "0");

  private static final List<String> FIELDS = List.of("mark", "lastTrade", "coverage", "status");

  @Test
  void optionDesksRebuildTheFullDesksStateAndMaxFrequencyHoldsItsRate() throws Exception {
    optionDesksRebuildTheFullDesksState(node);
  }

  /**
   * Random ticks through the ingest API to five desks of {@code node}, then every option desk's
   * state against the full desk's.
   */
  static void optionDesksRebuildTheFullDesksState(GatewayExtension node) throws Exception {
    try (WsClient full = desk(node, new JsonObject());
        WsClient delta = desk(node, new JsonObject().put("delta", true));
        WsClient fields = desk(node, new JsonObject().put("fields", new JsonArray(FIELDS)));
        WsClient both =
            desk(node, new JsonObject().put("fields", new JsonArray(FIELDS)).put("delta", true));
        WsClient onePerSecond = desk(node, new JsonObject().put("maxFrequency", 1))) {
      String feed = node.tokens().token("options-feed", null, "feed");
      SplittableRandom random = new SplittableRandom(7);
      List<Instrument> instruments = Instruments.seed().all();
      long seq = 0;
      for (int batch = 0; batch < 60; batch++) {
        JsonArray ticks = new JsonArray();
        for (int i = 0; i < 40; i++) {
          Instrument instrument = instruments.get(random.nextInt(instruments.size()));
          double move = 1 + (random.nextInt(201) - 100) / 10_000.0; // within ±1 %
          ticks.add(
              new JsonObject()
                  .put("instrument", instrument.id())
                  .put("price", Math.round(instrument.referencePrice() * move * 100) / 100.0)
                  .put("quantity", 10)
                  .put("ts", Instant.now().toString())
                  .put("seq", ++seq));
        }
        assertEquals(
            200,
            node.http()
                .post("/api/v1/ticks", feed, new JsonObject().put("ticks", ticks).encode())
                .status());
      }
      Map<WsClient, DeskState> states = new HashMap<>();
      for (WsClient ws : List.of(full, delta, fields, both)) {
        states.put(ws, new DeskState());
      }
      // read every desk until the option desks hold what the full desk holds (the feed stopped)
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!converged(states, full, delta, fields, both)) {
        assertTrue(
            System.nanoTime() < deadline,
            () -> "the desks did not converge within 30 s: " + difference(states, full, delta));
        for (Map.Entry<WsClient, DeskState> entry : states.entrySet()) {
          JsonObject frame;
          while ((frame = entry.getKey().poll()) != null) {
            entry.getValue().applyFrame(frame);
          }
        }
        JsonObject frame = full.nextUnlessClosed(1);
        if (frame != null) {
          states.get(full).applyFrame(frame);
        }
      }
      assertTrue(states.get(full).state().size() > 100, "prices and the bank's valuations");
      assertTrue(states.get(delta).deltas() > 100, "deltas: " + states.get(delta).deltas());
      assertOnePerSecond(onePerSecond);
    }
  }

  @Test
  void badOptionsAreRefusedByCodeAndTheSocketStaysUp() throws Exception {
    for (JsonObject bad :
        List.of(
            new JsonObject().put("maxFrequency", 0),
            new JsonObject().put("maxFrequency", "fast"),
            new JsonObject().put("fields", new JsonArray().add("colour")),
            new JsonObject().put("fields", new JsonArray()),
            new JsonObject().put("delta", "yes"))) {
      try (WsClient ws = desk(node, bad)) {
        JsonObject error = ws.next("error", 5);
        assertEquals("invalid-options", error.getString("code"), bad.encode());
        ws.send(new JsonObject().put("op", "ping"));
        assertEquals("pong", ws.next("pong", 5).getString("type"));
      }
    }
  }

  private static boolean converged(
      Map<WsClient, DeskState> states,
      WsClient full,
      WsClient delta,
      WsClient fields,
      WsClient both) {
    DeskState whole = states.get(full);
    return !whole.state().isEmpty()
        && whole.state().equals(states.get(delta).state())
        && whole.project(FIELDS).equals(states.get(fields).state())
        && whole.project(FIELDS).equals(states.get(both).state());
  }

  private static String difference(Map<WsClient, DeskState> states, WsClient a, WsClient b) {
    Map<String, JsonObject> left = states.get(a).state();
    Map<String, JsonObject> right = states.get(b).state();
    for (String key : left.keySet()) {
      if (!left.get(key).equals(right.get(key))) {
        return key + " full " + left.get(key) + " delta " + right.get(key);
      }
    }
    return left.size() + " keys against " + right.size();
  }

  /** Every price key's updates came at least a second apart, by the frames' ts. */
  private static void assertOnePerSecond(WsClient desk) throws Exception {
    Map<String, Long> last = new HashMap<>();
    int updates = 0;
    JsonObject frame;
    while ((frame = desk.poll()) != null) {
      if (!"update".equals(frame.getString("type"))) {
        continue;
      }
      long ts = frame.getLong("ts");
      for (Object entry : frame.getJsonArray("items")) {
        JsonObject item = (JsonObject) entry;
        if (!"price".equals(item.getString("type"))) {
          continue;
        }
        String key = item.getJsonObject("data").getString("instrument");
        Long before = last.put(key, ts);
        updates++;
        if (before != null) {
          assertTrue(ts - before >= 1000, key + " twice within " + (ts - before) + " ms: " + frame);
        }
      }
    }
    assertTrue(updates >= 9, "the slow desk got updates: " + updates);
  }

  private static WsClient desk(GatewayExtension node, JsonObject options) throws Exception {
    WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
    ws.send(
        new JsonObject()
            .put("op", "auth")
            .put("token", node.tokens().token("options-desk", "DEMO-A", "viewer")));
    assertEquals("authenticated", ws.next("authenticated", 5).getString("type"));
    ws.send(
        options
            .copy()
            .put("op", "subscribe")
            .put("channels", new JsonArray().add("prices").add("valuations")));
    return ws;
  }
}
