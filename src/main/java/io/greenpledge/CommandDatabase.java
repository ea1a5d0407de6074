package io.greenpledge;

import io.greenpledge.config.Settings;
import io.greenpledge.market.Instruments;
import io.greenpledge.store.Database;
import io.greenpledge.store.MarketRepository;
import io.greenpledge.store.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The configured database for a command (import, audit): started (embedded) or reached (GP_PG_URL),
 * migrated, then closed. Commands run on the main thread and await their futures here, never on an
 * event loop.
 */
final class CommandDatabase {

  private static final long TIMEOUT_MINUTES = 30;

  /** What a command does with the pool; answers its exit code. */
  interface Work {
    int run(Pool pool) throws Exception;
  }

  private CommandDatabase() {}

  static int with(Settings settings, String whenAGatewayRuns, Work work) throws Exception {
    Database database;
    try {
      database = Database.start(settings);
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("in use by another running gateway")) {
        throw new IllegalArgumentException(
            "a gateway is running on GP_DATA_DIR "
                + settings.store().dataDir()
                + " with the embedded database; "
                + whenAGatewayRuns);
      }
      throw e;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build();
      await(
          Migrations.load()
              .apply(pool)
              .compose(v -> new MarketRepository(pool).upsertCatalog(Instruments.seed())));
      return work.run(pool);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      database.close();
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw bad;
      }
      throw e;
    }
  }
}
