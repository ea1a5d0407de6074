package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.greenpledge.support.Ticks;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One client against everyone else: attacks reproduced from the field (issue 13), each with the
 * bystander or the stored state that shows the fix. The gateway runs the demo book with the
 * simulator, so a bystander desk has a live stream to lose.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileClientsIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "simulator,ingest",
          "GP_DEMO",
          "true",
          "GP_RATE_LIMIT",
          "0",
          "GP_INGEST_RATE_LIMIT",
          "0");

  @Test
  @DisplayName(
      "a compressed frame before authentication is refused at once: no inflating, no stall, no heap")
  void aDecompressionBombBeforeAuthenticationIsRefused() throws Exception {
    byte[] bomb = deflate(200_000_000); // 200 MB of spaces in ~200 KB
    long heapBefore = usedHeap();
    try (Socket socket = new Socket("127.0.0.1", node.gateway().httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String response = readHeaders(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 101"), response);
      assertFalse(
          response.toLowerCase().contains("sec-websocket-extensions"),
          "no compression negotiated: " + response);

      long started = System.nanoTime();
      boolean refusedWhileSending = false;
      try {
        out.write(frame(0x80 | 0x40 | 0x1, bomb)); // FIN, RSV1 (compressed), text
        out.flush();
      } catch (java.net.SocketException closedByTheServer) {
        refusedWhileSending =
            true; // the server dropped the connection before the frame was even read
      }
      List<Long> bystander = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long at = System.nanoTime();
        assertEquals(200, node.http().get("/health/live", null).status());
        bystander.add((System.nanoTime() - at) / 1_000_000);
      }
      assertTrue(
          refusedWhileSending || closedWithin(socket.getInputStream(), 5),
          "the socket was closed for the compressed frame");
      Collections.sort(bystander);
      assertTrue(
          bystander.get(bystander.size() / 2) < 100,
          "a bystander's median latency stayed low: " + bystander);
      assertTrue(
          (System.nanoTime() - started) / 1_000_000_000 < 10, "refused in seconds, not a minute");
    }
    assertTrue(usedHeap() - heapBefore < 256L << 20, "the heap did not take the inflated bomb");
  }

  @Test
  @DisplayName(
      "a tick the journal cannot hold is rejected alone; the batch and the journal go on (REST and WebSocket)")
  void aPoisonTickIsRejectedAloneAndIngestGoesOn() throws Exception {
    String feed = node.tokens().token("poison", null, "feed");
    JsonArray ticks =
        new JsonArray()
            .add(Ticks.cea(1, 71.00, 10))
            .add(Ticks.cea(2, 71.01, 0.00001))
            .add(Ticks.cea(3, 71.02, 10));
    Http.Response rest =
        node.http().post("/api/v1/ticks", feed, new JsonObject().put("ticks", ticks).encode());
    assertEquals(200, rest.status(), rest.body());
    JsonArray results = rest.json().getJsonArray("results");
    assertEquals("ACCEPTED", results.getJsonObject(0).getString("status"));
    assertEquals("INVALID_QUANTITY", results.getJsonObject(1).getString("reason"));
    assertEquals("ACCEPTED", results.getJsonObject(2).getString("status"));
    try (WsClient ws = new WsClient(node.gateway().httpPort(), "/ws/ingest")) {
      ws.send(new JsonObject().put("op", "auth").put("token", feed));
      ws.next("authenticated", 5);
      ws.send(
          new JsonObject()
              .put("op", "ticks")
              .put("id", "p")
              .put(
                  "ticks",
                  new JsonArray().add(Ticks.cea(4, 71.03, 1e-7)).add(Ticks.cea(5, 71.04, 10))));
      JsonObject ack = ws.next("ack", 10);
      assertEquals(
          "INVALID_QUANTITY", ack.getJsonArray("results").getJsonObject(0).getString("reason"));
      assertEquals("ACCEPTED", ack.getJsonArray("results").getJsonObject(1).getString("status"));
    }
    Http.Response next =
        node.http()
            .post(
                "/api/v1/ticks",
                feed,
                new JsonObject()
                    .put("ticks", new JsonArray().add(Ticks.cea(6, 71.05, 10)))
                    .encode());
    assertEquals(200, next.status(), "the journal is not stuck: " + next.body());
    assertEquals(200, node.http().get("/health/ready", null).status());
  }

  @Test
  @DisplayName(
      "repeated channels and subscribe floods: one snapshot per channel, an error, then a close; "
          + "a bystander desk keeps its stream")
  void subscribeAmplificationIsBoundedAndABystanderKeepsItsStream() throws Exception {
    String viewer = node.tokens().token("attacker", "DEMO-B", "viewer");
    try (WsClient bystander = desk(node.tokens().token("bystander", "DEMO-A", "viewer"), "prices");
        WsClient attacker = desk(viewer, null)) {
      JsonArray repeated = new JsonArray();
      for (int i = 0; i < 10; i++) {
        repeated.add("valuations");
      }
      attacker.send(new JsonObject().put("op", "subscribe").put("channels", repeated));
      assertEquals("valuations", attacker.next("snapshot", 10).getString("channel"));
      JsonArray many = new JsonArray();
      for (int i = 0; i < 40_000; i++) {
        many.add("valuations");
      }
      attacker.send(new JsonObject().put("op", "subscribe").put("channels", many));
      assertEquals("too-many-channels", attacker.next("error", 10).getString("code"));

      long heapBefore = usedHeap();
      String again =
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray().add("valuations"))
              .encode();
      Thread flood =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 2_000 && attacker.awaitCloseOrNull() == null; i++) {
                    attacker.sendRaw(again);
                  }
                } catch (RuntimeException closedMeanwhile) {
                  // the server closed the socket while frames were still being sent
                }
              });
      flood.start();
      List<Long> roundTrips = pingRoundTrips(bystander, 20);
      flood.join(30_000);
      WsClient.Close close = attacker.awaitClose(10);
      assertEquals(1008, close.code(), "the flooding desk is closed: " + close);
      assertTrue(usedHeap() - heapBefore < 512L << 20, "the flood did not take the heap");
      Collections.sort(roundTrips);
      assertTrue(
          roundTrips.get(roundTrips.size() / 2) < 100
              && roundTrips.get(roundTrips.size() - 1) < 1000,
          "the bystander desk was answered promptly during the flood: " + roundTrips + " ms");
    }
  }

  @Test
  @DisplayName("a refreshed token must name the same subject and bank, and its roles govern")
  void aTokenRefreshCannotSwitchIdentityOrKeepRolesItNoLongerHas() throws Exception {
    String viewerB = node.tokens().token("desk-b", "DEMO-B", "viewer");
    try (WsClient ws = desk(viewerB, "valuations")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("desk-b", "DEMO-A", "viewer")));
      assertEquals(4403, ws.awaitClose(10).code(), "another bank's token is not a refresh");
    }
    try (WsClient ws = desk(viewerB, "valuations")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("desk-b", "DEMO-B", "feed")));
      assertEquals(4403, ws.awaitClose(10).code(), "a feed token may not keep reading valuations");
    }
    try (WsClient ws = desk(viewerB, "prices")) {
      ws.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", node.tokens().token("desk-b", "DEMO-B", "viewer")));
      assertEquals(
          "authenticated",
          ws.next("authenticated", 10).getString("type"),
          "a true refresh is accepted");
    }
  }

  @Test
  @DisplayName(
      "tokens without exp, with exp of the wrong type, too long-lived or with crit are 401, never 500")
  void oddTokensAreRefusedAs401() {
    JsonObject noExp = node.tokens().claims("odd", "DEMO-A", "viewer");
    noExp.remove("exp");
    JsonObject stringExp = node.tokens().claims("odd", "DEMO-A", "viewer").put("exp", "2099-01-01");
    JsonObject stringNbf = node.tokens().claims("odd", "DEMO-A", "viewer").put("nbf", true);
    JsonObject forever =
        node.tokens()
            .claims("odd", "DEMO-A", "viewer")
            .put("exp", Instant.now().getEpochSecond() + 365L * 86400);
    List<String> tokens =
        List.of(
            node.tokens().sign(noExp),
            node.tokens().sign(stringExp),
            node.tokens().sign(stringNbf),
            node.tokens().sign(forever),
            node.tokens()
                .sign(
                    new JsonObject()
                        .put("alg", "RS256")
                        .put("crit", new JsonArray().add("x-bank"))
                        .put("x-bank", "DEMO-A"),
                    node.tokens().claims("odd", "DEMO-A", "viewer")));
    for (String token : tokens) {
      Http.Response response = node.http().get("/api/v1/pledges", token);
      assertEquals(401, response.status(), response.body());
    }
  }

  @Test
  @DisplayName(
      "subscribe alerts twice at once and a resume cursor of the wrong type: error frames, no exception")
  void badAlertSubscriptionsGetErrorFrames() throws Exception {
    try (WsClient ws = desk(node.tokens().token("alerts", "DEMO-A", "viewer"), null)) {
      JsonObject subscribe =
          new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("alerts"));
      ws.send(subscribe).send(subscribe);
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        JsonObject frame = ws.next(10);
        seen.add(
            frame.getString("type") + ":" + frame.getString("code", frame.getString("channel")));
      }
      assertTrue(seen.contains("snapshot:alerts"), seen.toString());
      ws.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray().add("alerts"))
              .put("resume", new JsonObject().put("alerts", "0")));
      assertEquals("invalid-resume", ws.next("error", 10).getString("code"));
      ws.send(new JsonObject().put("op", "ping"));
      assertEquals("pong", ws.next("pong", 10).getString("type"), "the socket is still served");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static WsClient desk(String token, String channel) throws InterruptedException {
    WsClient ws = new WsClient(node.gateway().httpPort(), "/ws");
    ws.send(new JsonObject().put("op", "auth").put("token", token));
    ws.next("authenticated", 10);
    if (channel != null) {
      ws.send(
          new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(channel)));
      ws.next("snapshot", 10);
    }
    return ws;
  }

  /** Ping → pong round trips of a desk, in milliseconds (its updates in between are skipped). */
  private static List<Long> pingRoundTrips(WsClient ws, int pings) throws InterruptedException {
    List<Long> roundTrips = new ArrayList<>();
    for (int i = 0; i < pings; i++) {
      long sent = System.nanoTime();
      ws.send(new JsonObject().put("op", "ping"));
      ws.next("pong", 10);
      roundTrips.add((System.nanoTime() - sent) / 1_000_000);
    }
    return roundTrips;
  }

  private static long usedHeap() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static byte[] deflate(int spaces) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] chunk = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    for (int written = 0; written < spaces; written += chunk.length) {
      deflater.setInput(chunk);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    return out.toByteArray();
  }

  /** A masked client frame (RFC 6455 §5.2). */
  private static byte[] frame(int firstByte, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    out.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  private static String readHeaders(InputStream in) throws java.io.IOException {
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.append((char) b);
    }
    return headers.toString();
  }

  /**
   * True when the server closes the connection (a close frame then EOF, or a reset) within the
   * time.
   */
  private static boolean closedWithin(InputStream in, int seconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try {
      while (System.nanoTime() < end) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.io.IOException reset) {
      return true;
    }
    return false;
  }
}
