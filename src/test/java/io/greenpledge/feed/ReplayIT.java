package io.greenpledge.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.Gateway;
import io.greenpledge.engine.Bus;
import io.greenpledge.market.Quote;
import io.greenpledge.support.Http;
import io.greenpledge.support.TestSettings;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV of historical trades replayed at speed through the same validation and pricing as live
 * ticks.
 */
class ReplayIT {

  @TempDir Path dataDir;

  @Test
  void csvRowsAreParsedInTimeOrderAndBadLinesNamed() {
    List<ReplayCsv.Row> rows =
        ReplayCsv.parse(
            """
        ts,instrument,price,quantity
        2025-05-07T02:00:01Z,CEA,70.10,1000
        # comment
        2025-05-07T02:00:00Z,CEA,70.00,500
        2025-05-08,CQEA,30.5,20
        """);
    assertEquals(3, rows.size());
    assertEquals(70.00, rows.get(0).price());
    assertEquals("CQEA", rows.get(2).instrument());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ReplayCsv.parse(
                    "ts,instrument,price,quantity\n2025-05-07T02:00:00Z,CEA,seventy,1\n"));
    assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
  }

  @Test
  void aReplayedFileMovesThePriceWithItsGapsCompressedBySpeed() throws Exception {
    // Two trades one hour apart, replayed at 3,600×: one second apart.
    Path file = dataDir.resolve("cea.csv");
    Files.writeString(
        file,
        "ts,instrument,price,quantity\n"
            + "2025-05-07T01:30:00Z,CEA,71.00,1000\n"
            + "2025-05-07T02:30:00Z,CEA,71.50,2000\n");
    try (Gateway gateway =
        Gateway.start(
            TestSettings.with(
                dataDir,
                "GP_FEEDS",
                "replay",
                "GP_DEMO",
                "false",
                "GP_REPLAY_FILE",
                file.toString(),
                "GP_REPLAY_SPEED",
                "3600"))) {
      CompletableFuture<Quote> last = new CompletableFuture<>();
      Bus.QUOTES.subscribe(
          gateway.vertx(),
          q -> {
            if (q.instrument().equals("CEA") && q.lastTrade() == 71.50) {
              last.complete(q);
            }
          });
      // The replay runs from the start: the second trade may have been published before the
      // subscription; the served price says so, otherwise its quote is awaited.
      Tokens viewerTokens = Tokens.local(dataDir);
      Http http = new Http(gateway.httpPort());
      String viewer = viewerTokens.token("a", "B", "viewer");
      Double lastTrade = http.get("/api/v1/prices/CEA", viewer).json().getDouble("lastTrade");
      if (lastTrade == null || lastTrade != 71.50) {
        last.get(15, TimeUnit.SECONDS);
      }
      JsonObject lastTick = http.get("/api/v1/prices/CEA", viewer).json().getJsonObject("lastTick");
      assertEquals("replay", lastTick.getString("source"));
      assertEquals(2, lastTick.getLong("seq"));
      Tokens tokens = Tokens.local(dataDir);
      JsonObject day =
          new Http(gateway.httpPort())
              .get("/api/v1/prices/CEA", tokens.token("a", "B", "viewer"))
              .json()
              .getJsonObject("today");
      assertEquals(3000, day.getInteger("volume"));
      assertEquals(71.00, day.getDouble("open"));
    }
  }

  @Test
  void aBackfillKeepsTheFilesTimesAndIsJournaledOnce() throws Exception {
    Path file = dataDir.resolve("backfill.csv");
    Files.writeString(
        file,
        "ts,instrument,price,quantity\n"
            + "2025-05-07T01:30:00Z,CEA,71.00,1000\n"
            + "2025-05-07T02:30:00Z,CEA,71.50,2000\n"
            + "2025-05-08T02:30:00Z,CEA,71.60,500\n");
    io.greenpledge.config.Settings settings =
        TestSettings.with(
            dataDir,
            "GP_FEEDS",
            "replay",
            "GP_DEMO",
            "false",
            "GP_REPLAY_FILE",
            file.toString(),
            "GP_REPLAY_TIMESTAMPS",
            "file");
    String url = settings.store().pgUrl().orElseThrow();
    try (Gateway gateway = Gateway.start(settings)) {
      // Started: the backfill is stored before the gateway serves.
    }
    try (Gateway again = Gateway.start(settings)) {
      // The same file at the next start changes nothing.
    }
    try (java.sql.Connection connection = io.greenpledge.support.TestDatabase.connect(url);
        java.sql.ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*), min(ts), (SELECT volume FROM daily_bars WHERE instrument = 'CEA' "
                        + "AND day = '2025-05-07') FROM ticks WHERE source LIKE 'import:%'")) {
      rows.next();
      assertEquals(3, rows.getInt(1));
      assertEquals(
          java.time.Instant.parse("2025-05-07T01:30:00Z"), rows.getTimestamp(2).toInstant());
      assertEquals(0, new java.math.BigDecimal("3000").compareTo(rows.getBigDecimal(3)));
    }
  }
}
