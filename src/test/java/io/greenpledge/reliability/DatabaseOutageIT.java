package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.store.Database;
import io.greenpledge.support.Http;
import io.greenpledge.support.Ports;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.greenpledge.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops for 30 s while a connector streams. Nothing unstored is acknowledged or shown:
 * every batch sent meanwhile is answered {@code journal-unavailable}, the desk is shown none of
 * those prices, readiness reports the outage; once the database is back the connector's resends are
 * stored exactly once, and the desk gets their prices and the alert they cause.
 */
class DatabaseOutageIT {

  private static final int OUTAGE_SECONDS = 30;

  @TempDir Path dataDir;
  @TempDir Path pgDir;

  private static JsonObject batch(long seq, double price) {
    return new JsonObject()
        .put("op", "ticks")
        .put("id", "b" + seq)
        .put(
            "ticks",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("instrument", "CEA")
                        .put("price", price)
                        .put("quantity", 10)
                        .put("ts", Instant.now().toString())
                        .put("seq", seq)));
  }

  private static double price(long seq) {
    return seq == 5 ? 69.80 : 72.00 - (seq % 3) * 0.10; // tick 5 crosses the warning line
  }

  @Test
  void nothingUnstoredIsShownDuringAnOutageAndTheResendIsStoredOnce() throws Exception {
    int port = Ports.free();
    Database database = Database.startEmbedded(pgDir, port);
    String url = "postgresql://postgres:postgres@localhost:" + port + "/postgres";
    Gateway gateway =
        Gateway.start(
            TestSettings.with(dataDir, "GP_PG_URL", url, "GP_FEEDS", "ingest", "GP_DEMO", "false"));
    try (WsClient desk = new WsClient(gateway.httpPort(), "/ws");
        WsClient connector = new WsClient(gateway.httpPort(), "/ws/ingest")) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(gateway.httpPort());
      // 10,000 t of CEA against 500,000 CNY at the last trade: coverage = price / 50.
      JsonObject pledge =
          new JsonObject()
              .put("borrower", "b")
              .put("borrowerCode", "91350100M000100Y43")
              .put("loanId", "L")
              .put("instrument", "CEA")
              .put("quantity", 10_000)
              .put("certificate", "C")
              .put("outstanding", 500_000)
              .put("markBasis", "LAST");
      Http.Response created =
          http.post(
              "/api/v1/pledges", tokens.token("admin", "BANK-O", "risk-admin"), pledge.encode());
      assertEquals(201, created.status());
      String pledgeId = created.json().getString("id");
      desk.send(
          new JsonObject()
              .put("op", "auth")
              .put("token", tokens.token("desk", "BANK-O", "viewer")));
      desk.send(
          new JsonObject()
              .put("op", "subscribe")
              .put("channels", new JsonArray().add("prices:CEA").add("alerts")));
      connector.send(
          new JsonObject().put("op", "auth").put("token", tokens.token("conn", null, "feed")));
      connector.next("authenticated", 5);
      connector.send(batch(1, 72.00));
      assertEquals("ack", connector.next("ack", 10).getString("type"));
      awaitPrice(desk, 72.00);

      database.close();
      long seq = 1;
      List<Long> unacknowledged = new ArrayList<>();
      long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS);
      boolean reportedDown = false;
      while (System.nanoTime() < outageEnds) {
        connector.send(batch(++seq, price(seq)));
        JsonObject answer = connector.next(15);
        assertEquals(
            "error",
            answer.getString("type"),
            "nothing is acknowledged without the journal: " + answer);
        assertEquals("journal-unavailable", answer.getString("code"), answer.encode());
        unacknowledged.add(seq);
        reportedDown |= http.get("/health/ready", null).status() == 503;
      }
      assertTrue(reportedDown, "readiness reported the outage");
      // Book reads and writes during the outage:
      // 503 with Retry-After (a dependency), not 409 or 500.
      String admin = tokens.token("admin", "BANK-O", "risk-admin");
      Http.Response patch =
          http.patch(
              "/api/v1/pledges/" + pledgeId,
              admin,
              new JsonObject().put("outstanding", 400_000).encode());
      assertEquals(503, patch.status(), patch.body());
      assertEquals(503, http.get("/api/v1/pledges", admin).status());
      assertTrue(seq > 5, "batches kept coming through the outage: " + seq);
      assertNoPriceBut(desk, 72.00);

      database = Database.startEmbedded(pgDir, port);
      for (long resend : unacknowledged) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean acknowledged = false;
        while (!acknowledged && System.nanoTime() < deadline) {
          connector.send(batch(resend, price(resend)));
          JsonObject answer = connector.next(15);
          acknowledged = "ack".equals(answer.getString("type"));
          if (acknowledged) {
            assertEquals(
                "ACCEPTED",
                answer.getJsonArray("results").getJsonObject(0).getString("status"),
                "a resend of a tick never stored is accepted, not a duplicate: " + answer);
          }
        }
        assertTrue(
            acknowledged,
            "the resend of " + resend + " was acknowledged once the database was back");
      }
      awaitPrice(desk, price(seq));
      try (Connection connection = TestDatabase.connect(url)) {
        ResultSet ticks =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*), count(DISTINCT seq), max(seq) FROM ticks WHERE source = 'ingest:conn'");
        ticks.next();
        assertEquals(seq, ticks.getLong(1), "every tick journaled");
        assertEquals(seq, ticks.getLong(2), "none twice");
        ResultSet alerts =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*) FROM alerts WHERE kind = 'STATUS_CHANGE' AND bank = 'BANK-O'");
        alerts.next();
        assertTrue(alerts.getLong(1) >= 1, "the transition caused by the resent tick 5 is stored");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int status = 0;
      while (System.nanoTime() < deadline
          && (status = http.get("/health/ready", null).status()) != 200) {
        Thread.onSpinWait();
      }
      assertEquals(200, status, "readiness recovered");
    } finally {
      gateway.close();
      database.close();
    }
  }

  /** Every frame the desk has received so far carries no price other than {@code only}. */
  private static void assertNoPriceBut(WsClient desk, double only) throws InterruptedException {
    for (JsonObject frame = desk.nextUnlessClosed(1);
        frame != null;
        frame = desk.nextUnlessClosed(1)) {
      for (Object o : frame.getJsonArray("items", new JsonArray())) {
        JsonObject item = (JsonObject) o;
        Double last = item.getJsonObject("data").getDouble("lastTrade");
        assertTrue(
            !"price".equals(item.getString("type")) || last == null || last == only,
            "the desk was shown a price that was never stored: " + item.encode());
      }
    }
  }

  private static void awaitPrice(WsClient desk, double price) throws InterruptedException {
    while (true) {
      JsonObject frame = desk.next(10);
      for (Object o : frame.getJsonArray("items", new JsonArray())) {
        JsonObject item = (JsonObject) o;
        Double last = item.getJsonObject("data").getDouble("lastTrade");
        if ("price".equals(item.getString("type")) && last != null && last == price) {
          return;
        }
      }
    }
  }
}
