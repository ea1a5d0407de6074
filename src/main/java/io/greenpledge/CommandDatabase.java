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
import java.util.Optional;
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
    return with(settings, Optional.of(whenAGatewayRuns), work);
  }

  /**
   * As above; with {@code whenAGatewayRuns} empty, a gateway running on the embedded database is
   * joined: the command uses that gateway's server (for short writes that are safe beside it, like
   * recording a minted token, or reads like verifying the audit chain).
   */
  static int with(Settings settings, Optional<String> whenAGatewayRuns, Work work)
      throws Exception {
    Database database = null;
    io.vertx.pgclient.PgConnectOptions options;
    try {
      database = Database.start(settings);
      options = database.connectOptions();
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("in use by another running gateway")) {
        throw e;
      }
      if (whenAGatewayRuns.isPresent()) {
        throw new IllegalArgumentException(
            "a gateway is running on GP_DATA_DIR "
                + settings.store().dataDir()
                + " with the embedded database; "
                + whenAGatewayRuns.get());
      }
      options = Database.runningEmbedded(settings.store().dataDir().resolve("pg"));
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
      await(
          Migrations.load()
              .apply(pool)
              .compose(v -> new MarketRepository(pool).upsertCatalog(Instruments.seed())));
      return work.run(pool);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (database != null) {
        database.close();
      }
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
