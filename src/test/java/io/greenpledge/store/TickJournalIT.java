package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.Tick;
import io.greenpledge.ops.Metrics;
import io.greenpledge.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal against a real PostgreSQL when the database refuses a row (the validator should have
 * caught it; this is the net under it): the row is isolated and answered as refused, every other
 * row of the group is stored, once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TickJournalIT {

  @Test
  @DisplayName("a group written twice (a retry after a lost answer) is stored once")
  void aGroupWrittenTwiceIsStoredOnce(Vertx vertx, VertxTestContext ctx) {
    String url = TestDatabase.freshUrl();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    List<Tick> group =
        List.of(
            new Tick("CEA", 71.00, 10, now, "retry-test", 1),
            new Tick("CEA", 71.10, 20, now, "retry-test", 2));
    TickJournal journal = new TickJournal(pool, new Metrics());
    Migrations.load()
        .apply(pool)
        .compose(
            v -> new MarketRepository(pool).upsertCatalog(io.greenpledge.market.Instruments.seed()))
        .compose(v -> journal.write(group))
        .compose(refused -> journal.write(group))
        .compose(
            refused ->
                pool.query(
                        "SELECT count(*) AS n, sum(quantity) AS q FROM ticks WHERE source = 'retry-test'")
                    .execute())
        .onComplete(
            ctx.succeeding(
                rows ->
                    ctx.verify(
                        () -> {
                          assertEquals(2, rows.iterator().next().getLong("n"));
                          assertEquals(
                              0,
                              new java.math.BigDecimal("30")
                                  .compareTo(rows.iterator().next().getBigDecimal("q")));
                          ctx.completeNow();
                        })));
  }

  @Test
  @DisplayName("one row the database refuses is isolated; the rest of the group is stored")
  void aRefusedRowIsIsolatedAndTheOthersAreStored(Vertx vertx) throws Exception {
    String url = TestDatabase.freshUrl();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    Migrations.load().apply(pool).await(30, TimeUnit.SECONDS);
    new MarketRepository(pool)
        .upsertCatalog(io.greenpledge.market.Instruments.seed())
        .await(10, TimeUnit.SECONDS);
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    List<Tick> group =
        List.of(
            new Tick("CEA", 71.00, 10, now, "journal-test", 1),
            new Tick("CEA", 71.01, 10, now, "journal-test", 2),
            new Tick(
                "CEA",
                71.02,
                0.00001,
                now,
                "journal-test",
                3), // numeric(20,4) rounds it to 0: check fails
            new Tick("CEA", 71.03, 10, now, "journal-test", 4),
            new Tick("CEA", 71.04, 10, now, "journal-test", 5));
    List<Tick> refused =
        new TickJournal(pool, new Metrics()).write(group).await(30, TimeUnit.SECONDS);
    assertEquals(List.of(group.get(2)), refused);
    try (Connection connection = TestDatabase.connect(url);
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*), string_agg(seq::text, ',' ORDER BY seq) FROM ticks WHERE source = 'journal-test'")) {
      rows.next();
      assertEquals(4, rows.getInt(1));
      assertEquals("1,2,4,5", rows.getString(2));
    }
    pool.close();
  }

  @Test
  @DisplayName("a tick naming an instrument the catalog does not hold is refused; the rest stored")
  void aTickForAnUnknownInstrumentIsRefused(Vertx vertx) throws Exception {
    String url = TestDatabase.freshUrl();
    Pool pool = catalogued(vertx, url);
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    List<Tick> group =
        List.of(
            new Tick("CEA", 71.00, 10, now, "catalog-test", 1),
            new Tick("NOT-LISTED", 71.01, 10, now, "catalog-test", 2),
            new Tick("CEA", 71.02, 10, now, "catalog-test", 3));
    List<Tick> refused =
        new TickJournal(pool, new Metrics()).write(group).await(30, TimeUnit.SECONDS);
    assertEquals(List.of(group.get(1)), refused);
    try (Connection connection = TestDatabase.connect(url)) {
      try (ResultSet rows =
          connection
              .createStatement()
              .executeQuery(
                  "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM ticks WHERE source = 'catalog-test'")) {
        rows.next();
        assertEquals("1,3", rows.getString(1));
      }
      // The catalog's side of the rule: an instrument with journaled ticks stays (its bars, which
      // hold a foreign key of their own, are removed first so only the ticks' rule is left).
      connection.createStatement().execute("DELETE FROM daily_bars WHERE instrument = 'CEA'");
      SQLException deleted =
          assertThrows(
              SQLException.class,
              () ->
                  connection.createStatement().execute("DELETE FROM instruments WHERE id = 'CEA'"));
      assertEquals("23503", deleted.getSQLState());
      assertTrue(
          deleted.getMessage().contains("instrument CEA has journaled ticks"), deleted::getMessage);
      SQLException renamed =
          assertThrows(
              SQLException.class,
              () ->
                  connection
                      .createStatement()
                      .execute("UPDATE instruments SET id = 'CEA2' WHERE id = 'CEA'"));
      assertEquals("23503", renamed.getSQLState());
    }
    pool.close();
  }

  @Test
  @DisplayName(
      "a day's bar opens at the earliest (time, seq) and closes at the latest, whatever the order")
  void theDailyBarFollowsTimeThenSequence(Vertx vertx) throws Exception {
    String url = TestDatabase.freshUrl();
    Pool pool = catalogued(vertx, url);
    Instant t0 = Instant.parse("2026-11-27T02:00:00Z"); // 10:00 in Shanghai
    Instant t1 = t0.plusSeconds(60);
    // Arrival order is not time order; two ticks share each of t0 and t1, seq breaks the tie.
    // A tick at 16:30 UTC is the next day in Shanghai (00:30): its own bar.
    List<Tick> group =
        List.of(
            new Tick("CCER", 85.00, 1, t1, "bar-test", 13),
            new Tick("CEA", 72.50, 2, t1, "bar-test", 4),
            new Tick("CEA", 71.00, 1, t0, "bar-test", 2),
            new Tick("CEA", 70.00, 3, t0, "bar-test", 1),
            new Tick("CEA", 73.00, 1, t1, "bar-test", 3),
            new Tick("CEA", 74.00, 5, Instant.parse("2026-11-27T16:30:00Z"), "bar-test", 5),
            new Tick("CCER", 84.00, 1, t0, "bar-test", 12));
    TickJournal journal = new TickJournal(pool, new Metrics());
    assertEquals(List.of(), journal.write(group).await(30, TimeUnit.SECONDS));
    // CEA 27th: by (ts, seq) 70.00 (t0 #1), 71.00 (t0 #2), 73.00 (t1 #3), 72.50 (t1 #4).
    // volume 3 + 1 + 1 + 2 = 7; notional 210 + 71 + 73 + 145 = 499.
    assertEquals(
        "CCER 2026-11-27 o84.0000 h85.0000 l84.0000 c85.0000 v2.0000 n169.0000 t2; "
            + "CEA 2026-11-27 o70.0000 h73.0000 l70.0000 c72.5000 v7.0000 n499.0000 t4; "
            + "CEA 2026-11-28 o74.0000 h74.0000 l74.0000 c74.0000 v5.0000 n370.0000 t1",
        text(
            url,
            "SELECT string_agg(format('%s %s o%s h%s l%s c%s v%s n%s t%s', instrument, day,"
                + " open, high, low, close, volume, notional, trades), '; '"
                + " ORDER BY instrument, day) FROM daily_bars"));
    pool.close();
  }

  @Test
  @DisplayName("a group partly stored before (a resend) adds to the bars only the ticks it stores")
  void aGroupPartlyStoredBeforeAddsOnlyWhatItStores(Vertx vertx) throws Exception {
    String url = TestDatabase.freshUrl();
    Pool pool = catalogued(vertx, url);
    Instant t0 = Instant.parse("2026-11-27T02:00:00Z");
    TickJournal journal = new TickJournal(pool, new Metrics());
    journal
        .write(
            List.of(
                new Tick("CEA", 70.00, 1, t0, "resend-test", 1),
                new Tick("CEA", 71.00, 2, t0.plusSeconds(1), "resend-test", 2)))
        .await(30, TimeUnit.SECONDS);
    // #2 again (its acknowledgement was lost), with #3 new: nothing refused, #2 not stored twice
    assertEquals(
        List.of(),
        journal
            .write(
                List.of(
                    new Tick("CEA", 71.00, 2, t0.plusSeconds(1), "resend-test", 2),
                    new Tick("CEA", 72.00, 4, t0.plusSeconds(2), "resend-test", 3)))
            .await(30, TimeUnit.SECONDS));
    assertEquals(
        "ticks 3; CEA o70.0000 h72.0000 l70.0000 c72.0000 v7.0000 n500.0000 t3; resend-test 3",
        text(
            url,
            "SELECT 'ticks ' || (SELECT count(*) FROM ticks) || '; ' || string_agg(format("
                + "'%s o%s h%s l%s c%s v%s n%s t%s', instrument, open, high, low, close, volume,"
                + " notional, trades), '; ') || '; ' || (SELECT string_agg(source || ' ' || last_seq,"
                + " ', ') FROM tick_sources) FROM daily_bars"));
    pool.close();
  }

  @Test
  @DisplayName(
      "the bars a group adds, computed by the gateway, equal the database's own aggregates")
  void theGatewaysBarsEqualTheDatabases(Vertx vertx) throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(20261129);
    List<String> instruments = List.of("CEA", "CCER", "CQ-SO2");
    Instant start = Instant.parse("2026-11-26T14:00:00Z"); // 22:00 in Shanghai: two trading days
    List<Tick> group = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 3000; seq++) {
      String instrument = instruments.get(random.nextInt(instruments.size()));
      double price =
          (instrument.equals("CQ-SO2") ? 6000 : 70) + random.nextInt(0, 100_000) / 10_000.0;
      double quantity = random.nextInt(1, 5_000_000) / 10_000.0;
      // whole minutes, a few a microsecond later: many ticks share a time, and (time, seq) decides
      // the open and the close
      Instant ts =
          start.plusSeconds(60L * random.nextInt(0, 240)).plusNanos(1000L * random.nextInt(3));
      group.add(new Tick(instrument, price, quantity, ts, "source-" + random.nextInt(4), seq));
    }
    java.util.Collections.shuffle(group, new java.util.Random(7));
    String computedUrl = TestDatabase.freshUrl();
    Pool computed = catalogued(vertx, computedUrl);
    assertEquals(
        List.of(),
        new TickJournal(computed, new Metrics()).write(group).await(30, TimeUnit.SECONDS));
    String databaseUrl = TestDatabase.freshUrl();
    Pool database = catalogued(vertx, databaseUrl);
    database
        .withTransaction(connection -> TickJournal.store(connection, group))
        .await(30, TimeUnit.SECONDS);
    String bars =
        "SELECT string_agg(format('%s %s o%s@%s h%s l%s c%s@%s v%s n%s t%s', instrument, day, open,"
            + " open_at, high, low, close, close_at, volume, notional, trades), '; '"
            + " ORDER BY instrument, day) || ' | ' || (SELECT string_agg(format('%s %s %s', source,"
            + " last_seq, last_ts), '; ' ORDER BY source) FROM tick_sources) FROM daily_bars";
    String expected = text(databaseUrl, bars);
    assertTrue(expected.contains("2026-11-27") && expected.contains("2026-11-26"), expected);
    assertEquals(expected, text(computedUrl, bars));
    computed.close();
    database.close();
  }

  private static String text(String url, String sql) throws SQLException {
    try (Connection connection = TestDatabase.connect(url);
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  /** A fresh database, migrated, with the seed catalog. */
  private static Pool catalogued(Vertx vertx, String url) throws Exception {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    Migrations.load().apply(pool).await(30, TimeUnit.SECONDS);
    new MarketRepository(pool)
        .upsertCatalog(io.greenpledge.market.Instruments.seed())
        .await(10, TimeUnit.SECONDS);
    return pool;
  }
}
