package io.greenpledge.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Versioned schema migrations from {@code db/migration}. Each runs once, in its own transaction,
 * under an advisory lock so that replicas starting together do not race.
 */
public final class Migrations {

  /** In order; a new migration is a new file here, never an edit of an applied one. */
  static final List<String> FILES =
      List.of(
          "V1__instruments.sql",
          "V2__ticks.sql",
          "V3__pledges.sql",
          "V4__alerts.sql",
          "V5__valuations.sql",
          "V6__alert_transitions.sql",
          "V7__initial_ltv.sql",
          "V8__history_imports.sql",
          "V9__audit.sql",
          "V10__margin_calls.sql",
          "V11__change_requests.sql",
          "V12__cash_margin.sql",
          "V13__disposal_cases.sql",
          "V14__bank_policies.sql",
          "V15__pledge_certificates.sql",
          "V16__policy_call_due_days.sql",
          "V17__borrower_identity.sql",
          "V18__bank_limits.sql",
          "V19__valuation_snapshots_index.sql",
          "V20__displays.sql");

  private static final long LOCK_KEY = 0x6772_6565_6e70L;

  private record Migration(int version, String name, String sql) {}

  private final List<Migration> migrations;

  private Migrations(List<Migration> migrations) {
    this.migrations = migrations;
  }

  /** Reads the migration files from the classpath; blocking, so call it before Vert.x starts. */
  public static Migrations load() {
    return new Migrations(FILES.stream().map(Migrations::read).toList());
  }

  private static Migration read(String file) {
    String path = "db/migration/" + file;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration " + path + " is missing from the classpath");
      }
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      return new Migration(version, file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Future<Void> apply(Pool pool) {
    Future<Void> chain =
        pool.query(
                """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
        """)
            .execute()
            .mapEmpty();
    for (Migration migration : migrations) {
      chain =
          chain.compose(v -> pool.withTransaction(connection -> applyOne(connection, migration)));
    }
    return chain;
  }

  private Future<Void> applyOne(SqlConnection connection, Migration migration) {
    return connection
        .preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(
            locked ->
                connection
                    .preparedQuery("SELECT 1 FROM schema_migrations WHERE version = $1")
                    .execute(Tuple.of(migration.version())))
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.<Void>succeededFuture()
                    : connection
                        .query(migration.sql())
                        .execute()
                        .compose(
                            done ->
                                connection
                                    .preparedQuery(
                                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                                    .execute(Tuple.of(migration.version(), migration.name())))
                        .mapEmpty());
  }
}
