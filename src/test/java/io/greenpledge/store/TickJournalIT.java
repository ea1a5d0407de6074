package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
