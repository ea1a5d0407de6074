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
 * under an advisory lock so that replicas starting together do not race. Each applied migration's
 * SHA-256 is kept: a file edited after it was applied, or a database migrated by a newer build,
 * stops the start with a message that names the file.
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
          "V20__displays.sql",
          "V21__ticks_instrument_check.sql",
          "V22__ticks_natural_key.sql");

  private static final long LOCK_KEY = 0x6772_6565_6e70L;

  private record Migration(int version, String name, String sql) {

    /** Of the text with its line endings normalised (a checkout on Windows is the same file). */
    String checksum() {
      try {
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** An applied migration that no longer matches this build. */
  public static final class MigrationMismatch extends RuntimeException {
    MigrationMismatch(String message) {
      super(message);
    }
  }

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
          version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
          checksum text)
        """)
            .execute()
            // databases migrated before checksums were kept
            .compose(
                v ->
                    pool.query(
                            "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text")
                        .execute())
            .compose(v -> newerThanThisBuild(pool));
    for (Migration migration : migrations) {
      chain =
          chain.compose(v -> pool.withTransaction(connection -> applyOne(connection, migration)));
    }
    return chain;
  }

  /**
   * An applied migration is the file it was: its checksum matches (or is recorded now, for one
   * applied before checksums were kept).
   */
  private static Future<Void> verified(
      SqlConnection connection, Migration migration, io.vertx.sqlclient.Row applied) {
    String recorded = applied.getString("checksum");
    if (recorded == null) {
      return connection
          .preparedQuery("UPDATE schema_migrations SET checksum = $2 WHERE version = $1")
          .execute(Tuple.of(migration.version(), migration.checksum()))
          .mapEmpty();
    }
    if (!recorded.equals(migration.checksum())) {
      return Future.failedFuture(
          new MigrationMismatch(
              "migration "
                  + migration.name()
                  + " was edited after it was applied on "
                  + applied.getOffsetDateTime("applied_at")
                  + " (checksum "
                  + recorded.substring(0, Math.min(12, recorded.length()))
                  + "…, the file now "
                  + migration.checksum().substring(0, 12)
                  + "…): restore the file and put the change in a new migration"));
    }
    return Future.succeededFuture();
  }

  /** A database migrated by a newer build: this one does not know its schema. */
  private Future<Void> newerThanThisBuild(Pool pool) {
    int latest = migrations.get(migrations.size() - 1).version();
    return pool.preparedQuery(
            "SELECT version, name FROM schema_migrations WHERE version > $1 ORDER BY version")
        .execute(Tuple.of(latest))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new MigrationMismatch(
                            "the database has migration "
                                + rows.iterator().next().getString("name")
                                + ", newer than this build knows (up to V"
                                + latest
                                + "): run the newer build, or restore a backup from before it")));
  }

  private Future<Void> applyOne(SqlConnection connection, Migration migration) {
    return connection
        .preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(
            locked ->
                connection
                    .preparedQuery(
                        "SELECT checksum, applied_at FROM schema_migrations WHERE version = $1")
                    .execute(Tuple.of(migration.version())))
        .compose(
            rows ->
                rows.size() > 0
                    ? verified(connection, migration, rows.iterator().next())
                    : connection
                        .query(migration.sql())
                        .execute()
                        .compose(
                            done ->
                                connection
                                    .preparedQuery(
                                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
                                    .execute(
                                        Tuple.of(
                                            migration.version(),
                                            migration.name(),
                                            migration.checksum())))
                        .mapEmpty());
  }
}
