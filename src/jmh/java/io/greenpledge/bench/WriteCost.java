package io.greenpledge.bench;

import io.greenpledge.store.AuditLog;
import io.greenpledge.store.Migrations;
import io.greenpledge.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the audit trail and the margin calls cost in the database, beside a plain write: the same
 * one-row update in a transaction, committed by the embedded PostgreSQL (fsync on, synchronous
 * commit, as the gateway runs it), (1) alone, (2) with the audit entry the gateway appends in the
 * write's own transaction (an advisory lock that orders the hash chain, the chain's head, one
 * insert), and (3) a margin call's life for a pledge crossing its line and back: opened as the
 * engine opens it, then cured (two transactions, a call row and an event each). Concurrent writers
 * on pledges of their own, alternating blocks, one sitting.
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.WriteCost -Dbench="--writers 8 --seconds 10 --rounds 3"
 * </pre>
 */
public final class WriteCost {

  private WriteCost() {}

  public static void main(String[] args) throws Exception {
    var options = PushLoad.options(args);
    int writers = Integer.parseInt(options.getOrDefault("writers", "8"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(writers))
              .connectingTo(PgConnectOptions.fromUri(TestDatabase.freshUrl()))
              .using(vertx)
              .build();
      Migrations.load().apply(pool).await(60, TimeUnit.SECONDS);
      pool.query("CREATE TABLE bench_write (id int PRIMARY KEY, n bigint NOT NULL)")
          .execute()
          .await(10, TimeUnit.SECONDS);
      new io.greenpledge.store.MarketRepository(pool)
          .upsertCatalog(io.greenpledge.market.Instruments.seed())
          .await(10, TimeUnit.SECONDS);
      var pledges = new io.greenpledge.book.PledgeRepository(pool);
      for (int w = 0; w < writers; w++) {
        pool.preparedQuery("INSERT INTO bench_write VALUES ($1, 0)")
            .execute(Tuple.of(w))
            .await(10, TimeUnit.SECONDS);
        pledges
            .insert(
                io.greenpledge.valuation.Fixtures.pledge("P" + w, "BENCH", "CEA", 1_000, 50_000))
            .await(10, TimeUnit.SECONDS);
      }
      var calls = new io.greenpledge.book.MarginCallRepository(pool);
      System.out.printf(
          "write cost: %d writers, %d s per block, %d rounds%n", writers, seconds, rounds);
      for (Mode mode : Mode.values()) {
        run(vertx, pool, calls, writers, 3, mode); // warm-up, not reported
      }
      for (int round = 1; round <= rounds; round++) {
        for (Mode mode : Mode.values()) {
          List<Long> micros = run(vertx, pool, calls, writers, seconds, mode);
          Collections.sort(micros);
          System.out.printf(
              "round %d %-12s %s/s %7.0f  p50 %6.2f ms  p99 %6.2f ms%n",
              round,
              mode.name().toLowerCase(java.util.Locale.ROOT),
              mode == Mode.CALL ? "calls " : "writes",
              micros.size() / (double) seconds,
              micros.get(micros.size() / 2) / 1e3,
              micros.get((int) (micros.size() * 0.99)) / 1e3);
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A plain write, the same write audited, a margin call opened and cured. */
  private enum Mode {
    PLAIN,
    AUDITED,
    CALL
  }

  /** Each writer works on its own row in a loop until the block ends; latency per unit of work. */
  private static List<Long> run(
      Vertx vertx,
      Pool pool,
      io.greenpledge.book.MarginCallRepository calls,
      int writers,
      int seconds,
      Mode mode)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    AuditLog.Actor actor = new AuditLog.Actor("bench", "-", "local");
    List<Future<Void>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int row = w;
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      vertx.runOnContext(
          v -> loop(() -> once(pool, calls, row, mode, actor), deadline, micros, finished));
    }
    Future.all(done).await(seconds + 60L, TimeUnit.SECONDS);
    return new ArrayList<>(micros);
  }

  private static Future<Void> once(
      Pool pool,
      io.greenpledge.book.MarginCallRepository calls,
      int row,
      Mode mode,
      AuditLog.Actor actor) {
    if (mode == Mode.CALL) {
      java.time.Instant now = java.time.Instant.now();
      return calls
          .open(
              "BENCH",
              "P" + row,
              "CEA",
              "MARGIN_CALL",
              new java.math.BigDecimal("1000.00"),
              new java.math.BigDecimal("15.0000"),
              now,
              now.plus(java.time.Duration.ofDays(1)),
              "market")
          .compose(
              opened ->
                  calls
                      .move(
                          opened.orElseThrow(),
                          io.greenpledge.calls.CallState.CURED,
                          null,
                          now,
                          "market",
                          java.util.Optional.empty(),
                          null)
                      .mapEmpty());
    }
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery("UPDATE bench_write SET n = n + 1 WHERE id = $1")
                .execute(Tuple.of(row))
                .compose(
                    updated ->
                        mode == Mode.AUDITED
                            ? AuditLog.append(
                                    connection,
                                    actor,
                                    new AuditLog.Draft(
                                        "BENCH",
                                        "pledge.update",
                                        "pledge",
                                        "P" + row,
                                        "{\"outstanding\":\"1.00\"}",
                                        "{\"outstanding\":\"2.00\"}"))
                                .mapEmpty()
                            : Future.<Void>succeededFuture()));
  }

  private static void loop(
      java.util.function.Supplier<Future<Void>> work,
      long deadline,
      List<Long> micros,
      Promise<Void> finished) {
    if (System.nanoTime() >= deadline) {
      finished.complete();
      return;
    }
    long started = System.nanoTime();
    work.get()
        .onComplete(
            result -> {
              if (result.failed()) {
                finished.fail(result.cause());
                return;
              }
              micros.add((System.nanoTime() - started) / 1_000);
              loop(work, deadline, micros, finished);
            });
  }
}
