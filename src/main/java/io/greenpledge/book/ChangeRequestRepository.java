package io.greenpledge.book;

import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Four-eyes change requests. A request is created by its maker (audited) and decided once: the
 * decision is a guarded update (PENDING and not expired), so two checkers cannot both approve.
 */
public final class ChangeRequestRepository {

  /** A change waiting for, or past, its second pair of eyes. */
  public record ChangeRequest(
      long id,
      String bank,
      String action,
      String entityId,
      JsonObject payload,
      String maker,
      String makerRequestId,
      Instant createdAt,
      Instant expiresAt,
      String state,
      String checker,
      Instant decidedAt,
      String reason) {

    /** PENDING, or EXPIRED when its time passed undecided. */
    public String stateAt(Instant now) {
      return state.equals("PENDING") && now.isAfter(expiresAt) ? "EXPIRED" : state;
    }
  }

  private final Pool pool;

  public ChangeRequestRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<ChangeRequest> create(
      String bank,
      String action,
      String entityId,
      JsonObject payload,
      AuditLog.Actor maker,
      Instant now,
      Instant expiresAt) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "INSERT INTO change_requests (bank, action, entity_id, payload, maker, maker_request_id,"
                        + " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *")
                .execute(
                    Tuple.tuple()
                        .addString(bank)
                        .addString(action)
                        .addString(entityId)
                        .addString(payload.encode())
                        .addString(maker.subject())
                        .addString(maker.requestId())
                        .addOffsetDateTime(utc(now))
                        .addOffsetDateTime(utc(expiresAt)))
                .compose(
                    rows -> {
                      ChangeRequest request = request(rows.iterator().next());
                      return AuditLog.append(
                              connection,
                              maker,
                              new AuditLog.Draft(
                                  bank,
                                  "change-request.create",
                                  "change-request",
                                  Long.toString(request.id()),
                                  null,
                                  new JsonObject()
                                      .put("action", action)
                                      .put("entityId", entityId)
                                      .put("payload", payload)
                                      .encode()))
                          .map(request);
                    }));
  }

  public Future<Optional<ChangeRequest>> find(long id) {
    return pool.preparedQuery("SELECT * FROM change_requests WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(request(rows.iterator().next())));
  }

  public Future<List<ChangeRequest>> list(
      Optional<String> bank, Optional<String> state, int limit) {
    return pool.preparedQuery(
            "SELECT * FROM change_requests WHERE ($1::text IS NULL OR bank = $1) "
                + "AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(bank.orElse(null), state.orElse(null), limit))
        .map(
            rows -> {
              List<ChangeRequest> requests = new ArrayList<>();
              rows.forEach(row -> requests.add(request(row)));
              return requests;
            });
  }

  /**
   * Decides a pending, unexpired request on {@code connection} (the caller's transaction, which
   * also applies an approved change); empty when it was decided or expired meanwhile.
   */
  public static Future<Optional<ChangeRequest>> decide(
      SqlConnection connection,
      long id,
      String state,
      AuditLog.Actor checker,
      String reason,
      Instant now) {
    return connection
        .preparedQuery(
            "UPDATE change_requests SET state = $2, checker = $3, decided_at = $4, reason = $5 "
                + "WHERE id = $1 AND state = 'PENDING' AND expires_at >= $4 RETURNING *")
        .execute(
            Tuple.tuple()
                .addLong(id)
                .addString(state)
                .addString(checker.subject())
                .addOffsetDateTime(utc(now))
                .addString(reason))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<ChangeRequest>empty());
              }
              ChangeRequest decided = request(rows.iterator().next());
              return AuditLog.append(
                      connection,
                      checker,
                      new AuditLog.Draft(
                          decided.bank(),
                          "change-request." + state.toLowerCase(),
                          "change-request",
                          Long.toString(id),
                          new JsonObject()
                              .put("state", "PENDING")
                              .put("maker", decided.maker())
                              .encode(),
                          new JsonObject().put("state", state).put("reason", reason).encode()))
                  .map(Optional.of(decided));
            });
  }

  public Pool pool() {
    return pool;
  }

  private static ChangeRequest request(Row row) {
    return new ChangeRequest(
        row.getLong("id"),
        row.getString("bank"),
        row.getString("action"),
        row.getString("entity_id"),
        new JsonObject(row.getString("payload")),
        row.getString("maker"),
        row.getString("maker_request_id"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant(),
        row.getString("state"),
        row.getString("checker"),
        Optional.ofNullable(row.getOffsetDateTime("decided_at"))
            .map(OffsetDateTime::toInstant)
            .orElse(null),
        row.getString("reason"));
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
