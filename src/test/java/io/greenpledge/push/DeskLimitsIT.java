package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The socket limits: desk sockets per token subject and per bank, channels per socket. Each refusal
 * is an {@code error} frame with its code, then a close with its documented code.
 */
class DeskLimitsIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_WS_MAX_PER_SUBJECT",
          "2",
          "GP_WS_MAX_PER_BANK",
          "3",
          "GP_WS_MAX_SUBSCRIPTIONS",
          "3",
          "GP_WS_FRAMES_PER_SECOND",
          "5");

  private static WsClient desk(String subject, String bank) throws Exception {
    WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
    ws.send(
        new JsonObject()
            .put("op", "auth")
            .put("token", node.tokens().token(subject, bank, "viewer")));
    assertEquals("authenticated", ws.next("authenticated", 5).getString("type"));
    return ws;
  }

  private static void assertRefused(WsClient ws, String code, int close) throws Exception {
    JsonObject error = ws.next("error", 5);
    assertEquals(code, error.getString("code"), error.encode());
    assertEquals(close, ws.awaitClose(5).code());
  }

  @Test
  void aSubjectHoldsAtMostItsSockets() throws Exception {
    try (WsClient first = desk("desk-1", "BANK-L");
        WsClient second = desk("desk-1", "BANK-L")) {
      try (WsClient third = desk("desk-1", "BANK-L")) {
        assertRefused(third, "too-many-connections", 4429);
      }
      // the bank has room for another subject's desk
      try (WsClient other = desk("desk-2", "BANK-L")) {
        other.send(new JsonObject().put("op", "ping"));
        assertEquals("pong", other.next("pong", 5).getString("type"));
      }
    }
    // places are given back at close: the subject may connect again
    try (WsClient again = desk("desk-1", "BANK-L")) {
      again.send(new JsonObject().put("op", "ping"));
      assertEquals("pong", again.next("pong", 5).getString("type"));
    }
  }

  @Test
  void aBankHoldsAtMostItsSockets() throws Exception {
    try (WsClient a = desk("m-1", "BANK-M");
        WsClient b = desk("m-2", "BANK-M");
        WsClient c = desk("m-3", "BANK-M")) {
      try (WsClient d = desk("m-4", "BANK-M")) {
        assertRefused(d, "too-many-connections", 4429);
      }
      // another bank is not affected
      try (WsClient other = desk("n-1", "BANK-N")) {
        other.send(new JsonObject().put("op", "ping"));
        assertEquals("pong", other.next("pong", 5).getString("type"));
      }
    }
  }

  @Test
  void aSocketSubscribesToAtMostItsChannels() throws Exception {
    try (WsClient ws = desk("s-1", "BANK-S")) {
      ws.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray(List.of("prices:CEA", "prices:CCER", "valuations"))));
      for (int i = 0; i < 3; i++) {
        assertEquals("snapshot", ws.next("snapshot", 5).getString("type"));
      }
      // subscribing again to one it has is not a new channel
      ws.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray(List.of("prices:CEA"))));
      assertEquals("snapshot", ws.next("snapshot", 5).getString("type"));
      ws.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray(List.of("alerts"))));
      assertRefused(ws, "too-many-subscriptions", 1008);
    }
  }

  @Test
  void aSocketSendsAtMostItsFramesPerSecond() throws Exception {
    try (WsClient ws = desk("r-1", "BANK-R")) {
      // 5 a second, bursts of 10: the auth frame and 9 pings pass, the next are dropped with one
      // error, and at 20 in a second the socket is closed
      for (int i = 0; i < 25; i++) {
        ws.sendRaw("{\"op\":\"ping\"}");
      }
      JsonObject error = ws.next("error", 5);
      assertEquals("rate-limited", error.getString("code"), error.encode());
      assertEquals(1008, ws.awaitClose(5).code());
    }
  }
}
