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
 * What the audit trail costs a write: the same one-row update in a transaction, committed by the
 * embedded PostgreSQL (fsync on, synchronous commit, as the gateway runs it), with and without the
 * audit entry the gateway appends in the write's own transaction (an advisory lock that orders the
 * hash chain, the chain's head, one insert). Concurrent writers, alternating blocks, one sitting.
 *
 * <pre>
 * mvn -B -Pbench test-compile exec:exec -Dbench.main=io.greenpledge.bench.AuditCost -Dbench="--writers 8 --seconds 10 --rounds 3"
 * </pre>
 */
public final class AuditCost {

  private AuditCost() {}

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
      for (int w = 0; w < writers; w++) {
        pool.preparedQuery("INSERT INTO bench_write VALUES ($1, 0)")
            .execute(Tuple.of(w))
            .await(10, TimeUnit.SECONDS);
      }
      System.out.printf(
          "audit cost: %d writers, %d s per block, %d rounds%n", writers, seconds, rounds);
      run(vertx, pool, writers, 3, false); // warm-up, not reported
      run(vertx, pool, writers, 3, true);
      for (int round = 1; round <= rounds; round++) {
        for (boolean audited : new boolean[] {false, true}) {
          List<Long> micros = run(vertx, pool, writers, seconds, audited);
          Collections.sort(micros);
          System.out.printf(
              "round %d %-9s writes/s %7.0f  p50 %6.2f ms  p99 %6.2f ms%n",
              round,
              audited ? "audited" : "plain",
              micros.size() / (double) seconds,
              micros.get(micros.size() / 2) / 1e3,
              micros.get((int) (micros.size() * 0.99)) / 1e3);
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Each writer updates its own row in a loop until the block ends; latency per transaction. */
  private static List<Long> run(Vertx vertx, Pool pool, int writers, int seconds, boolean audited)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    AuditLog.Actor actor = new AuditLog.Actor("bench", "-", "local");
    List<Future<Void>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int row = w;
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      vertx.runOnContext(v -> loop(pool, row, audited, actor, deadline, micros, finished));
    }
    Future.all(done).await(seconds + 60L, TimeUnit.SECONDS);
    return new ArrayList<>(micros);
  }

  private static void loop(
      Pool pool,
      int row,
      boolean audited,
      AuditLog.Actor actor,
      long deadline,
      List<Long> micros,
      Promise<Void> finished) {
    if (System.nanoTime() >= deadline) {
      finished.complete();
      return;
    }
    long started = System.nanoTime();
    pool.withTransaction(
            connection ->
                connection
                    .preparedQuery("UPDATE bench_write SET n = n + 1 WHERE id = $1")
                    .execute(Tuple.of(row))
                    .compose(
                        updated ->
                            audited
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
                                : Future.<Void>succeededFuture()))
        .onComplete(
            result -> {
              if (result.failed()) {
                finished.fail(result.cause());
                return;
              }
              micros.add((System.nanoTime() - started) / 1_000);
              loop(pool, row, audited, actor, deadline, micros, finished);
            });
  }
}
