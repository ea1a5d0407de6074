package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/desks}: a bank's risk-admin sees its own desks with their channels, options
 * and lag, never another bank's; the regulator sees counts per bank and no subject; a viewer is
 * refused.
 */
class PresenceIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension("GP_FEEDS", "ingest", "GP_DEMO", "false", "GP_RATE_LIMIT", "0");

  private static WsClient desk(String subject, String bank, JsonObject subscribe) throws Exception {
    WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
    ws.send(
        new JsonObject()
            .put("op", "auth")
            .put("token", node.tokens().token(subject, bank, "viewer")));
    ws.next("authenticated", 5);
    ws.send(subscribe.put("op", "subscribe"));
    ws.next("snapshot", 5);
    return ws;
  }

  private static JsonObject desks(String token) {
    Http.Response response = node.http().get("/api/v1/desks", token);
    assertEquals(200, response.status(), response.body());
    return response.json();
  }

  @Test
  void aBankSeesItsOwnDesksAndTheRegulatorOnlyCounts() throws Exception {
    String adminP = node.tokens().token("admin-p", "BANK-P", "risk-admin");
    String adminQ = node.tokens().token("admin-q", "BANK-Q", "risk-admin");
    String regulator = node.tokens().token("regulator-1", null, "regulator");
    try (WsClient p =
            desk(
                "desk-p",
                "BANK-P",
                new JsonObject()
                    .put("channels", new JsonArray().add("prices"))
                    .put("maxFrequency", 0.5)
                    .put("delta", true));
        WsClient q =
            desk(
                "desk-q",
                "BANK-Q",
                new JsonObject().put("channels", new JsonArray().add("alerts")))) {
      JsonObject ofP = desks(adminP);
      assertEquals("BANK-P", ofP.getString("bank"));
      assertEquals(1, ofP.getJsonArray("desks").size(), ofP.encode());
      JsonObject desk = ofP.getJsonArray("desks").getJsonObject(0);
      assertEquals("desk-p", desk.getString("subject"));
      JsonObject prices = desk.getJsonArray("channels").getJsonObject(0);
      assertEquals("prices", prices.getString("channel"));
      assertEquals(0.5, prices.getDouble("maxFrequency"));
      assertTrue(prices.getBoolean("delta"));
      assertEquals(0L, desk.getJsonObject("lag").getLong("windowsBehind"));
      assertFalse(ofP.encode().contains("desk-q"), "another bank's desk: " + ofP.encode());

      JsonObject ofQ = desks(adminQ);
      assertEquals(1, ofQ.getJsonArray("desks").size(), ofQ.encode());
      assertEquals(
          "alerts",
          ofQ.getJsonArray("desks")
              .getJsonObject(0)
              .getJsonArray("channels")
              .getJsonObject(0)
              .getString("channel"));
      assertFalse(ofQ.encode().contains("desk-p"), "another bank's desk: " + ofQ.encode());

      JsonObject counts = desks(regulator);
      Map<String, Integer> byBank = new HashMap<>();
      counts
          .getJsonArray("banks")
          .forEach(
              b ->
                  byBank.put(
                      ((JsonObject) b).getString("bank"), ((JsonObject) b).getInteger("desks")));
      assertEquals(1, byBank.get("BANK-P"));
      assertEquals(1, byBank.get("BANK-Q"));
      assertFalse(counts.encode().contains("desk-"), "no subject for the regulator");

      String viewer = node.tokens().token("viewer-p", "BANK-P", "viewer");
      assertEquals(403, node.http().get("/api/v1/desks", viewer).status());
    }
    // the places are given back at close (the close is handled on the server's event loop)
    int remaining = -1;
    for (int i = 0; i < 200 && remaining != 0; i++) {
      remaining = desks(adminP).getJsonArray("desks").size();
    }
    assertEquals(0, remaining, "a closed desk leaves presence");
  }
}
