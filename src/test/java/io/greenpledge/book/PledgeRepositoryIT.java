package io.greenpledge.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.Instruments;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.store.Migrations;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.valuation.Fixtures;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.Pledge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pledge book's repository on a real PostgreSQL: what is stored reads back, changes are
 * optimistic.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PledgeRepositoryIT {

  private PledgeRepository pledges;

  @BeforeEach
  void freshBook(Vertx vertx, VertxTestContext ctx) {
    Pool pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(TestDatabase.freshUrl()))
            .using(vertx)
            .build();
    pledges = new PledgeRepository(pool);
    Migrations.load()
        .apply(pool)
        .compose(v -> new MarketRepository(pool).upsertCatalog(Instruments.seed()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPledgeReadsBackAsStored(VertxTestContext ctx) {
    Pledge pledge = Fixtures.pledge("P-1", "BANK-A", "CEA", 12_345.6789, 300_000);
    pledges
        .insert(pledge)
        .compose(v -> pledges.find("P-1"))
        .onComplete(
            ctx.succeeding(
                found ->
                    ctx.verify(
                        () -> {
                          Pledge read = found.orElseThrow();
                          assertEquals(pledge.quantity(), read.quantity());
                          assertEquals(pledge.outstandingCents(), read.outstandingCents());
                          assertEquals(pledge.lines(), read.lines());
                          assertEquals(pledge.certificate(), read.certificate());
                          assertEquals(1, read.version());
                          ctx.completeNow();
                        })));
  }

  @Test
  void statusesAreKeptForTheNextStart(VertxTestContext ctx) {
    pledges
        .insert(Fixtures.pledge("P-1", "BANK-A", "CEA", 10_000, 300_000))
        .compose(v -> pledges.insert(Fixtures.pledge("P-2", "BANK-A", "CEA", 10_000, 300_000)))
        .compose(
            v ->
                pledges.saveStatuses(
                    java.util.Map.of(
                        "P-1",
                        io.greenpledge.valuation.CoverageStatus.DISPOSAL,
                        "P-2",
                        io.greenpledge.valuation.CoverageStatus.WARNING)))
        .compose(v -> pledges.active())
        .onComplete(
            ctx.succeeding(
                active ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              java.util.List.of("P-1:DISPOSAL", "P-2:WARNING"),
                              active.stream()
                                  .map(s -> s.pledge().id() + ":" + s.status())
                                  .toList());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aChangeAgainstAnOlderVersionChangesNothing(VertxTestContext ctx) {
    Pledge pledge = Fixtures.pledge("P-1", "BANK-A", "CEA", 10_000, 300_000);
    pledges
        .insert(pledge)
        .compose(
            v ->
                pledges.update(
                    "P-1", 1, new PledgeRepository.Terms(10_000, 250_000_00L, 0, Lines.DEFAULT)))
        .compose(
            first -> {
              ctx.verify(() -> assertEquals(2, first.orElseThrow().version()));
              return pledges.update(
                  "P-1", 1, new PledgeRepository.Terms(10_000, 100_000_00L, 0, Lines.DEFAULT));
            })
        .compose(
            stale -> {
              ctx.verify(() -> assertTrue(stale.isEmpty(), "version 1 is gone"));
              return pledges.find("P-1");
            })
        .onComplete(
            ctx.succeeding(
                found ->
                    ctx.verify(
                        () -> {
                          assertEquals(250_000_00L, found.orElseThrow().outstandingCents());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aReleasedPledgeLeavesTheActiveBookAndCannotBeReleasedTwice(VertxTestContext ctx) {
    pledges
        .insert(Fixtures.pledge("P-1", "BANK-A", "CEA", 10_000, 300_000))
        .compose(v -> pledges.release("P-1"))
        .compose(
            released -> {
              ctx.verify(() -> assertEquals(Pledge.State.RELEASED, released.orElseThrow().state()));
              return Future.all(pledges.active(), pledges.release("P-1"));
            })
        .onComplete(
            ctx.succeeding(
                both ->
                    ctx.verify(
                        () -> {
                          assertTrue(
                              both.<java.util.List<PledgeRepository.Stored>>resultAt(0).isEmpty());
                          assertFalse(both.<Optional<Pledge>>resultAt(1).isPresent());
                          ctx.completeNow();
                        })));
  }

  @Test
  void oneCertificateInTwoLivePledgesIsAConflictNamingBothBanks(VertxTestContext ctx) {
    Pledge first = Fixtures.pledge("P-1", "BANK-A", "CEA", 10_000, 300_000);
    Pledge second = Fixtures.pledge("P-2", "BANK-B", "CEA", 5_000, 100_000);
    Pledge sameCertificate =
        new Pledge(
            second.id(),
            second.bank(),
            second.borrower(),
            second.borrowerCode(),
            second.borrowerGroup(),
            second.loanId(),
            second.instrument(),
            second.quantity(),
            first.certificate(),
            null,
            null,
            second.outstandingCents(),
            second.cashMarginCents(),
            second.lines(),
            second.basis(),
            second.state(),
            second.version(),
            second.createdAt(),
            second.updatedAt());
    pledges
        .insert(first)
        .compose(v -> pledges.insert(sameCertificate))
        .compose(v -> pledges.conflicts())
        .onComplete(
            ctx.succeeding(
                conflicts ->
                    ctx.verify(
                        () -> {
                          assertEquals(1, conflicts.size());
                          assertEquals(first.certificate(), conflicts.get(0).certificate());
                          assertEquals(
                              java.util.Set.of("BANK-A", "BANK-B"),
                              java.util.Set.copyOf(conflicts.get(0).banks()));
                          ctx.completeNow();
                        })));
  }
}
