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
 * PostgreSQL stops for 30 s while ticks stream in. Prices, valuations and alerts keep flowing to the
 * desks from memory, readiness reports the outage, and once the database is back every tick and alert
 * accepted meanwhile is stored exactly once.
 */
class DatabaseOutageIT {

  private static final int OUTAGE_SECONDS = 30;

  @TempDir
  Path dataDir;
  @TempDir
  Path pgDir;

  private static JsonObject batch(long seq, double price) {
    return new JsonObject().put("op", "ticks").put("id", "b" + seq).put("ticks", new JsonArray().add(new JsonObject()
        .put("instrument", "CEA").put("price", price).put("quantity", 10).put("ts", Instant.now().toString())
        .put("seq", seq)));
  }

  @Test
  void theStreamOutlivesADatabaseOutageAndNothingIsLostOrDoubled() throws Exception {
    int port = Ports.free();
    Database database = Database.startEmbedded(pgDir, port);
    String url = "postgresql://postgres:postgres@localhost:" + port + "/postgres";
    Gateway gateway = Gateway.start(TestSettings.with(dataDir, "GP_PG_URL", url, "GP_FEEDS", "ingest",
        "GP_DEMO", "false"));
    try (WsClient desk = new WsClient(gateway.httpPort(), "/ws");
        WsClient connector = new WsClient(gateway.httpPort(), "/ws/ingest")) {
      Tokens tokens = Tokens.local(dataDir);
      Http http = new Http(gateway.httpPort());
      // 10,000 t of CEA against 500,000 CNY at the last trade: coverage = price / 50.
      JsonObject pledge = new JsonObject().put("borrower", "b").put("loanId", "L").put("instrument", "CEA")
          .put("quantity", 10_000).put("certificate", "C").put("outstanding", 500_000).put("markBasis", "LAST");
      assertEquals(201, http.post("/api/v1/pledges", tokens.token("admin", "BANK-O", "risk-admin"), pledge.encode())
          .status());
      desk.send(new JsonObject().put("op", "auth").put("token", tokens.token("desk", "BANK-O", "viewer")));
      desk.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("prices:CEA").add("alerts")));
      connector.send(new JsonObject().put("op", "auth").put("token", tokens.token("conn", null, "feed")));
      connector.next("authenticated", 5);
      connector.send(batch(1, 72.00));
      assertEquals("ack", connector.next("ack", 10).getString("type"));

      database.close();
      long seq = 1;
      List<Double> sent = new ArrayList<>();
      long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS);
      boolean reportedDown = false;
      while (System.nanoTime() < outageEnds) {
        double price = seq == 5 ? 69.80 : 72.00 - (seq % 3) * 0.10;   // tick 5 crosses the warning line
        connector.send(batch(++seq, price));
        sent.add(price);
        awaitPrice(desk, price);   // the desk still gets every price while the database is down
        reportedDown |= http.get("/health/ready", null).status() == 503;
      }
      assertTrue(reportedDown, "readiness reported the outage");
      assertTrue(seq > 20, "ticks kept streaming through the outage: " + seq);

      database = Database.startEmbedded(pgDir, port);
      // Each batch is answered: an ack once journaled, or (past the 10 s durability timeout) an error
      // telling the connector to resend. The journal keeps order, so the ack of a batch sent now
      // means everything queued before it is stored too.
      connector.send(batch(++seq, 72.00));
      int answered = 0;
      while (answered < seq - 1) {
        JsonObject frame = connector.next(60);
        if ("ack".equals(frame.getString("type"))) {
          answered++;
        } else if ("error".equals(frame.getString("type"))) {
          assertEquals("journal-unavailable", frame.getString("code"), frame.encode());
          answered++;
        }
      }
      try (Connection connection = TestDatabase.connect(url)) {
        ResultSet ticks = connection.createStatement()
            .executeQuery("SELECT count(*), count(DISTINCT seq), max(seq) FROM ticks WHERE source = 'ingest:conn'");
        ticks.next();
        assertEquals(seq, ticks.getLong(1), "every tick journaled");
        assertEquals(seq, ticks.getLong(2), "none twice");
        // Alerts queued during the outage are retried on the risk engine's flush timer: wait (bounded).
        long alertDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long stored = 0;
        while (stored == 0 && System.nanoTime() < alertDeadline) {
          ResultSet alerts = connection.createStatement()
              .executeQuery("SELECT count(*) FROM alerts WHERE kind = 'STATUS_CHANGE' AND bank = 'BANK-O'");
          alerts.next();
          stored = alerts.getLong(1);
          Thread.onSpinWait();
        }
        assertTrue(stored >= 1, "the transition during the outage was stored after it");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int status = 0;
      while (System.nanoTime() < deadline && (status = http.get("/health/ready", null).status()) != 200) {
        Thread.onSpinWait();
      }
      assertEquals(200, status, "readiness recovered");
    } finally {
      gateway.close();
      database.close();
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
