package io.greenpledge.book;

import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Each bank's limits as it set them (JSON), and who set them; audited on every change. */
public final class LimitsRepository {

  /** A bank's stored limits. */
  public record Stored(
      String bank, JsonObject limits, Instant updatedAt, String updatedBy, long version) {}

  private final Pool pool;

  public LimitsRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Optional<Stored>> find(String bank) {
    return pool.preparedQuery("SELECT * FROM bank_limits WHERE bank = $1")
        .execute(Tuple.of(bank))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(stored(rows.iterator().next())));
  }

  /** Every bank's limits, as set. */
  public Future<java.util.List<Stored>> all() {
    return pool.query("SELECT * FROM bank_limits ORDER BY bank")
        .execute()
        .map(
            rows -> {
              java.util.List<Stored> all = new java.util.ArrayList<>();
              rows.forEach(row -> all.add(stored(row)));
              return all;
            });
  }

  /** Sets a bank's limits inside the caller's transaction, with its audit entry. */
  public static Future<Stored> save(
      SqlConnection connection,
      String bank,
      JsonObject limits,
      JsonObject before,
      AuditLog.Actor actor,
      Instant at) {
    return connection
        .preparedQuery(
            """
            INSERT INTO bank_limits (bank, limits, updated_at, updated_by) VALUES ($1, $2::jsonb, $3, $4)
            ON CONFLICT (bank) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at,
              updated_by = excluded.updated_by, version = bank_limits.version + 1
            RETURNING *
            """)
        .execute(Tuple.of(bank, limits.encode(), at.atOffset(ZoneOffset.UTC), actor.subject()))
        .map(rows -> stored(rows.iterator().next()))
        .compose(
            saved ->
                AuditLog.append(
                        connection,
                        actor,
                        new AuditLog.Draft(
                            bank,
                            "limits.change",
                            "limits",
                            bank,
                            before.encode(),
                            limits.encode()))
                    .map(saved));
  }

  private static Stored stored(Row row) {
    return new Stored(
        row.getString("bank"),
        new JsonObject(row.getValue("limits").toString()),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getString("updated_by"),
        row.getLong("version"));
  }
}
