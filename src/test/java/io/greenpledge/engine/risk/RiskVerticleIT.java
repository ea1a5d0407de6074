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
import java.time.Instant;
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
          if (batch.valuations().valuation(0).market().markCents() == 4000) {
            ctx.verify(
                () ->
                    assertNotEquals(
                        CoverageStatus.HEALTHY, batch.valuations().valuation(0).status()));
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
                                2),
                            () -> io.vertx.core.Future.succeededFuture(java.util.Map.of())))))
        .onComplete(
            ctx.succeeding(
                deployed ->
                    Bus.QUOTES.publish(vertx, Fixtures.quote("CEA", 40.00, 0.02, 100_000))));
  }

  /** A clock the test moves: the due time of a call passes when the test says so. */
  static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void callsPastTheirDueTimeFallOverdueAndADisposalCallIsEscalated(
      Vertx vertx, VertxTestContext ctx) {
    Instruments catalog = Instruments.seed();
    Pool pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(TestDatabase.freshUrl()))
            .using(vertx)
            .build();
    PledgeRepository pledges = new PledgeRepository(pool);
    QuoteBoard quotes = new QuoteBoard();
    quotes.put(Fixtures.quote("CEA", 71.50, 0.02, 100_000));
    SettableClock clock = new SettableClock(Fixtures.NOW);
    // At 58.00: 580,000 / 460,000 = 1.26 (MARGIN_CALL); 580,000 / 500,000 = 1.16 (DISPOSAL).
    Pledge called = Fixtures.pledge("P-MC", "BANK-A", "CEA", 10_000, 460_000);
    Pledge disposal = Fixtures.pledge("P-DISP", "BANK-A", "CEA", 10_000, 500_000);
    java.util.Map<String, String> last = new java.util.concurrent.ConcurrentHashMap<>();
    Checkpoint opened = ctx.checkpoint(2);
    Checkpoint lapsed = ctx.checkpoint(2);
    Bus.registerCodecs(vertx);
    Bus.ALERTS.subscribe(
        vertx,
        (Alert alert) -> {
          if (alert.event() instanceof AlertEvent.CallChanged c) {
            last.put(alert.pledgeId(), c.to());
            if (c.to().equals("OPEN")) {
              opened.flag();
              if (last.size() == 2 && last.values().stream().allMatch("OPEN"::equals)) {
                // Both open: let their due time (two trading days, at the close) pass.
                clock.now = Fixtures.NOW.plus(java.time.Duration.ofDays(10));
              }
            } else {
              ctx.verify(
                  () ->
                      assertEquals(
                          alert.pledgeId().equals("P-DISP") ? "ESCALATED" : "OVERDUE", c.to()));
              lapsed.flag();
            }
          }
        });
    Migrations.load()
        .apply(pool)
        .compose(v -> new MarketRepository(pool).upsertCatalog(catalog))
        .compose(v -> pledges.insert(called))
        .compose(v -> pledges.insert(disposal))
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
                            new AlertRepository(pool),
                            new ValuationRepository(pool),
                            book,
                            Duration.ofHours(1),
                            clock,
                            new Metrics(),
                            "node-1",
                            false,
                            new RiskVerticle.Calls(
                                new io.greenpledge.book.MarginCallRepository(pool),
                                io.greenpledge.market.TradingCalendar.exchange(),
                                2),
                            () -> io.vertx.core.Future.succeededFuture(java.util.Map.of())))))
        .onComplete(
            ctx.succeeding(
                deployed ->
                    Bus.QUOTES.publish(vertx, Fixtures.quote("CEA", 58.00, 0.02, 100_000))));
  }
}
