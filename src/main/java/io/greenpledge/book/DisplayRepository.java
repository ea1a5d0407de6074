package io.greenpledge.book;

import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wall screens ({@code displays}): each named, of one bank (or the regulator's), with the read-only
 * token it renews itself; revoked for good. Every change is audited in its transaction.
 */
public final class DisplayRepository {

  /** One display. */
  public record Display(
      String id,
      String bank,
      String name,
      String createdBy,
      Instant createdAt,
      Instant lastRenewedAt,
      Instant revokedAt,
      String revokedBy) {

    public boolean revoked() {
      return revokedAt != null;
    }

    public JsonObject json() {
      return new JsonObject()
          .put("id", id)
          .put("bank", bank)
          .put("name", name)
          .put("createdBy", createdBy)
          .put("createdAt", createdAt.toString())
          .put("lastRenewedAt", lastRenewedAt == null ? null : lastRenewedAt.toString())
          .put("revokedAt", revokedAt == null ? null : revokedAt.toString())
          .put("revokedBy", revokedBy);
    }
  }

  private final Pool pool;

  public DisplayRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Display> create(AuditLog.Actor actor, String id, String bank, String name) {
    Instant now = Instant.now();
    Display display = new Display(id, bank, name, actor.subject(), now, null, null, null);
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "INSERT INTO displays (id, bank, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(
                    Tuple.tuple()
                        .addValue(id)
                        .addValue(bank)
                        .addValue(name)
                        .addValue(actor.subject())
                        .addValue(now.atOffset(ZoneOffset.UTC)))
                .compose(
                    done ->
                        AuditLog.append(
                            connection,
                            actor,
                            new AuditLog.Draft(
                                bank,
                                "display.create",
                                "display",
                                id,
                                null,
                                display.json().encode())))
                .map(display));
  }

  /** The displays of a bank (empty: the regulator's own walls), newest first. */
  public Future<List<Display>> of(Optional<String> bank) {
    return pool.preparedQuery(
            "SELECT * FROM displays WHERE bank IS NOT DISTINCT FROM $1 ORDER BY created_at DESC LIMIT 500")
        .execute(Tuple.tuple().addValue(bank.orElse(null)))
        .map(DisplayRepository::displays);
  }

  public Future<Optional<Display>> find(String id) {
    return pool.preparedQuery("SELECT * FROM displays WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> displays(rows).stream().findFirst());
  }

  /** Revokes it (once); empty when it does not exist or was revoked already. */
  public Future<Optional<Display>> revoke(AuditLog.Actor actor, String id) {
    Instant now = Instant.now();
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "UPDATE displays SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING *")
                .execute(Tuple.of(id, now.atOffset(ZoneOffset.UTC), actor.subject()))
                .compose(
                    rows -> {
                      Optional<Display> revoked = displays(rows).stream().findFirst();
                      if (revoked.isEmpty()) {
                        return Future.succeededFuture(revoked);
                      }
                      Display d = revoked.get();
                      return AuditLog.append(
                              connection,
                              actor,
                              new AuditLog.Draft(
                                  d.bank(),
                                  "display.revoke",
                                  "display",
                                  id,
                                  null,
                                  d.json().encode()))
                          .map(revoked);
                    }));
  }

  /** Records a renewal; false when the display is unknown or revoked. */
  public Future<Boolean> renewed(String id) {
    return pool.preparedQuery(
            "UPDATE displays SET last_renewed_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(id, Instant.now().atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Every revoked display's id: what token verification refuses. */
  public Future<Set<String>> revokedIds() {
    return pool.query("SELECT id FROM displays WHERE revoked_at IS NOT NULL")
        .execute()
        .map(
            rows -> {
              Set<String> ids = new HashSet<>();
              rows.forEach(row -> ids.add(row.getString("id")));
              return ids;
            });
  }

  private static List<Display> displays(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Display> found = new ArrayList<>();
    rows.forEach(
        row ->
            found.add(
                new Display(
                    row.getString("id"),
                    row.getString("bank"),
                    row.getString("name"),
                    row.getString("created_by"),
                    row.getOffsetDateTime("created_at").toInstant(),
                    instant(row, "last_renewed_at"),
                    instant(row, "revoked_at"),
                    row.getString("revoked_by"))));
    return found;
  }

  private static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
  }
}
