package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.Gateway;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.config.Settings;
import io.greenpledge.config.SettingsLoader;
import io.greenpledge.support.Http;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default deployment: embedded PostgreSQL under the data dir. A tick accepted before a clean
 * shutdown is in the journal after a restart, and the restarted gateway still knows its sequence.
 */
class RestartIT {

  @TempDir
  Path dataDir;

  private Settings settings() {
    return SettingsLoader.load(Optional.empty(), Map.of("GP_DATA_DIR", dataDir.toString(), "GP_HTTP_PORT", "0",
        "GP_HTTP_HOST", "127.0.0.1", "GP_FEEDS", "ingest", "GP_DEMO", "false"));
  }

  @Test
  void aTickAcceptedBeforeShutdownIsServedAfterRestart() throws Exception {
    Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String tick = new JsonObject().put("ticks", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("instrument", "CQ-COD").put("price", 9123.45).put("quantity", 12).put("ts", ts.toString()).put("seq", 7)))
        .encode();

    try (Gateway first = Gateway.start(settings())) {
      Tokens tokens = new Tokens(LocalKeys.loadOrCreate(dataDir), "greenpledge-local", "greenpledge-gateway");
      Http http = new Http(first.httpPort());
      assertEquals("ACCEPTED", http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick).json()
          .getJsonArray("results").getJsonObject(0).getString("status"));
    }

    try (Gateway second = Gateway.start(settings())) {
      Tokens tokens = new Tokens(LocalKeys.loadOrCreate(dataDir), "greenpledge-local", "greenpledge-gateway");
      Http http = new Http(second.httpPort());
      JsonObject price = http.get("/api/v1/prices/CQ-COD", tokens.token("a", "DEMO-A", "viewer")).json();
      assertEquals(9123.45, price.getDouble("lastTrade"));
      assertEquals(ts.toString(), price.getString("lastTradeAt"));
      JsonObject day = http.get("/api/v1/prices/CQ-COD/candles?interval=1d", tokens.token("a", "DEMO-A", "viewer"))
          .json().getJsonArray("items").getJsonObject(0);
      assertEquals(9123.45, day.getDouble("close"));
      // The sequence survived too: the same tick again is a duplicate, not a second trade.
      assertEquals("DUPLICATE", http.post("/api/v1/ticks", tokens.token("vendor", null, "feed"), tick).json()
          .getJsonArray("results").getJsonObject(0).getString("reason"));
    }
  }
}
