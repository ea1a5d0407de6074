package io.greenpledge.book;

import io.greenpledge.calls.DisposalCase;
import io.greenpledge.calls.MarginCall;
import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Disposal cases. A case opens in the transaction that escalates its margin call (one per call); a
 * decision is guarded by the case's version, so two checkers cannot both decide it, and is audited
 * in the same transaction.
 */
public final class DisposalRepository {

  private static final String OPEN =
      """
      INSERT INTO disposal_cases (bank, pledge_id, call_id, instrument, state, opened_at, updated_at)
      VALUES ($1, $2, $3, $4, 'OPEN', $5, $5)
      ON CONFLICT (call_id) DO NOTHING
      """;

  private static final String DECIDE =
      """
      UPDATE disposal_cases SET state = $3, decision = $4::jsonb, decided_by = $5, forbear_until = $6,
                                updated_at = $7, version = version + 1
      WHERE id = $1 AND version = $2 AND state <> 'DISPOSED'
      RETURNING *
      """;

  private final Pool pool;

  public DisposalRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Opens the case of an escalated call, inside the escalation's transaction; once per call. */
  static Future<Void> open(SqlConnection connection, MarginCall call, Instant at) {
    return connection
        .preparedQuery(OPEN)
        .execute(Tuple.of(call.bank(), call.pledgeId(), call.id(), call.instrument(), utc(at)))
        .mapEmpty();
  }

  /**
   * Records a decision on a case still at {@code expected}'s version; empty when it moved (decided
   * meanwhile). Audited as {@code disposal.disposed} or {@code disposal.forborne}.
   */
  public static Future<Optional<DisposalCase>> decide(
      SqlConnection connection,
      DisposalCase expected,
      DisposalCase.State to,
      JsonObject decision,
      Instant forbearUntil,
      AuditLog.Actor actor,
      Instant at) {
    return connection
        .preparedQuery(DECIDE)
        .execute(
            Tuple.tuple()
                .addLong(expected.id())
                .addLong(expected.version())
                .addString(to.name())
                .addString(decision.encode())
                .addString(actor.subject())
                .addOffsetDateTime(forbearUntil == null ? null : utc(forbearUntil))
                .addOffsetDateTime(utc(at)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<DisposalCase>empty());
              }
              DisposalCase decided = disposalCase(rows.iterator().next());
              return AuditLog.append(
                      connection,
                      actor,
                      new AuditLog.Draft(
                          expected.bank(),
                          "disposal." + to.name().toLowerCase(),
                          "disposal",
                          Long.toString(expected.id()),
                          new JsonObject().put("state", expected.state().name()).encode(),
                          new JsonObject()
                              .put("state", to.name())
                              .put("decision", decision)
                              .encode()))
                  .map(Optional.of(decided));
            });
  }

  /** Forbearances that ended: the cases are open again. */
  public static Future<Integer> reopenExpired(SqlClient client, Instant now) {
    return client
        .preparedQuery(
            "UPDATE disposal_cases SET state = 'OPEN', updated_at = $1, version = version + 1 "
                + "WHERE state = 'FORBORNE' AND forbear_until <= $1")
        .execute(Tuple.of(utc(now)))
        .map(rows -> rows.rowCount());
  }

  /** A bank's cases (or every bank's): open first, then forborne, then decided; oldest first. */
  public Future<List<DisposalCase>> list(
      Optional<String> bank, Optional<DisposalCase.State> state, int limit) {
    String sql =
        "SELECT * FROM disposal_cases WHERE ($1::text IS NULL OR bank = $1) "
            + "AND ($2::text IS NULL OR state = $2) "
            + "ORDER BY CASE state WHEN 'OPEN' THEN 0 WHEN 'FORBORNE' THEN 1 ELSE 2 END, opened_at, id "
            + "LIMIT $3";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(bank.orElse(null), state.map(Enum::name).orElse(null), limit))
        .map(
            rows -> {
              List<DisposalCase> cases = new ArrayList<>();
              rows.forEach(row -> cases.add(disposalCase(row)));
              return cases;
            });
  }

  public Future<Optional<DisposalCase>> find(long id) {
    return pool.preparedQuery("SELECT * FROM disposal_cases WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(disposalCase(rows.iterator().next())));
  }

  private static DisposalCase disposalCase(Row row) {
    Object decision = row.getValue("decision");
    OffsetDateTime until = row.getOffsetDateTime("forbear_until");
    return new DisposalCase(
        row.getLong("id"),
        row.getString("bank"),
        row.getString("pledge_id"),
        row.getLong("call_id"),
        row.getString("instrument"),
        DisposalCase.State.valueOf(row.getString("state")),
        row.getOffsetDateTime("opened_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        decision == null ? null : decision.toString(),
        row.getString("decided_by"),
        until == null ? null : until.toInstant(),
        row.getLong("version"));
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
