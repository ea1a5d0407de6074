package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Migrations apply once and keep each file's checksum: an applied migration edited afterwards, or a
 * database a newer build migrated, stops the start with a message that names the file.
 */
class MigrationsIT {

  @Test
  void anEditedOrUnknownMigrationStopsTheStartNamingIt() throws Exception {
    String url = TestDatabase.freshUrl();
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    try {
      Migrations migrations = Migrations.load();
      migrations.apply(pool).await(60, TimeUnit.SECONDS);
      migrations.apply(pool).await(60, TimeUnit.SECONDS); // again: nothing to do, all verified

      try (Connection jdbc = TestDatabase.connect(url)) {
        jdbc.createStatement()
            .execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 3");
      }
      String edited = failure(migrations, pool);
      assertTrue(edited.contains("V3__pledges.sql") && edited.contains("edited after"), edited);

      try (Connection jdbc = TestDatabase.connect(url)) {
        jdbc.createStatement()
            .execute("UPDATE schema_migrations SET checksum = NULL WHERE version = 3");
        jdbc.createStatement()
            .execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'V999__future.sql', 'x')");
      }
      String newer = failure(migrations, pool);
      assertTrue(newer.contains("V999__future.sql") && newer.contains("newer"), newer);
    } finally {
      pool.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String failure(Migrations migrations, Pool pool) throws Exception {
    try {
      migrations.apply(pool).await(60, TimeUnit.SECONDS);
    } catch (Migrations.MigrationMismatch e) {
      return e.getMessage();
    }
    throw new AssertionError("the migrations were applied");
  }
}
