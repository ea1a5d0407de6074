package io.greenpledge.engine.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.greenpledge.alerts.AlertRepository;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.store.Migrations;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Fixtures;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The risk engine on a real PostgreSQL: a quote that moves a pledge across a line revalues it, and
 * the status change is stored before it is told, with the bank's first seq.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RiskVerticleIT {

  @Test
  void aPriceFallAcrossALineIsValuedAndItsAlertStoredBeforeItIsTold(
      Vertx vertx, VertxTestContext ctx) {
    Instruments catalog = Instruments.seed();
    Pool pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(TestDatabase.freshUrl()))
            .using(vertx)
            .build();
    AlertRepository alerts = new AlertRepository(pool);
    PledgeRepository pledges = new PledgeRepository(pool);
    QuoteBoard quotes = new QuoteBoard();
    quotes.put(Fixtures.quote("CEA", 71.50, 0.02, 100_000));
    // 10,000 t at 71.50 against 300,000 outstanding: coverage 2.38, healthy; at 40.00 it is 1.33.
    Pledge pledge = Fixtures.pledge("P-RISK", "BANK-A", "CEA", 10_000, 300_000);
    Checkpoint valued = ctx.checkpoint();
    Checkpoint told = ctx.checkpoint();
    Bus.registerCodecs(vertx);
    Bus.VALUATIONS.subscribe(
        vertx,
        (ValuationBatch batch) -> {
          if (batch.valuations().get(0).market().markCents() == 4000) {
            ctx.verify(
                () -> assertNotEquals(CoverageStatus.HEALTHY, batch.valuations().get(0).status()));
            valued.flag();
          }
        });
    Bus.ALERTS.subscribe(
        vertx,
        (Alert alert) ->
            alerts
                .since("BANK-A", 0, 10)
                .onComplete(
                    ctx.succeeding(
                        stored ->
                            ctx.verify(
                                () -> {
                                  AlertEvent.StatusChanged change =
                                      (AlertEvent.StatusChanged) alert.event();
                                  assertEquals("HEALTHY", change.from());
                                  assertEquals(1, alert.seq(), "the bank's first alert");
                                  assertEquals(
                                      List.of(alert.key()),
                                      stored.stream().map(Alert::key).toList(),
                                      "stored before told");
                                  told.flag();
                                }))));
    Migrations.load()
        .apply(pool)
        .compose(v -> new MarketRepository(pool).upsertCatalog(catalog))
        .compose(v -> pledges.insert(pledge))
        .compose(v -> pledges.active())
        .compose(
            book ->
                vertx.deployVerticle(
                    new RiskVerticle(
                        new RiskVerticle.Dependencies(
                            catalog,
                            quotes,
                            new PledgeBook(catalog),
                            pledges,
                            alerts,
                            new ValuationRepository(pool),
                            book,
                            Duration.ofHours(1),
                            Clock.fixed(Fixtures.NOW, ZoneOffset.UTC),
                            new Metrics(),
                            "node-1",
                            false,
                            new RiskVerticle.Calls(
                                new io.greenpledge.book.MarginCallRepository(pool),
                                io.greenpledge.market.TradingCalendar.exchange(),
                                2)))))
        .onComplete(
            ctx.succeeding(
                deployed ->
                    Bus.QUOTES.publish(vertx, Fixtures.quote("CEA", 40.00, 0.02, 100_000))));
  }
}
