package io.greenpledge.book;

import io.greenpledge.calls.CallState;
import io.greenpledge.calls.MarginCall;
import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Margin calls and their history. Every state change is one transaction: the call's row (guarded by
 * its expected state, so two replicas or two desks cannot both move it) and an event naming the
 * cause; a desk's change is also an audit entry.
 */
public final class MarginCallRepository {

  /** One state change of a call. */
  public record Event(
      Instant at,
      String from,
      String to,
      String cause,
      String actor,
      String requestId,
      String reason,
      BigDecimal amountDue) {}

  private static final String OPEN =
      """
      INSERT INTO margin_calls (bank, pledge_id, instrument, state, opened_in, amount_due, quantity_due,
                                opened_at, due_at, updated_at)
      VALUES ($1, $2, $3, 'OPEN', $4, $5, $6, $7, $8, $7)
      ON CONFLICT (pledge_id)
        WHERE state IN ('OPEN', 'ACKNOWLEDGED', 'DISPUTED', 'PARTIALLY_MET', 'OVERDUE', 'ESCALATED')
        DO NOTHING
      RETURNING *
      """;
  private static final String MOVE =
      """
      UPDATE margin_calls SET state = $3, amount_due = coalesce($4, amount_due), updated_at = $5,
                              version = version + 1
      WHERE id = $1 AND state = $2
      RETURNING *
      """;
  private static final String EVENT =
      """
      INSERT INTO margin_call_events (call_id, at, from_state, to_state, cause, actor, request_id, reason,
                                      amount_due)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      """;
  private static final String LIVE_STATES =
      "('OPEN', 'ACKNOWLEDGED', 'DISPUTED', 'PARTIALLY_MET', 'OVERDUE', 'ESCALATED')";

  private final Pool pool;

  public MarginCallRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Opens a call unless the pledge has a live one; empty when another node or an earlier call did.
   */
  public Future<Optional<MarginCall>> open(
      String bank,
      String pledgeId,
      String instrument,
      String openedIn,
      BigDecimal amountDue,
      BigDecimal quantityDue,
      Instant at,
      Instant dueAt,
      String cause) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(OPEN)
                .execute(
                    Tuple.tuple()
                        .addString(bank)
                        .addString(pledgeId)
                        .addString(instrument)
                        .addString(openedIn)
                        .addValue(amountDue)
                        .addValue(quantityDue)
                        .addOffsetDateTime(utc(at))
                        .addOffsetDateTime(utc(dueAt)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<MarginCall>empty());
                      }
                      MarginCall call = call(rows.iterator().next());
                      return event(
                              connection,
                              call.id(),
                              at,
                              null,
                              call.state(),
                              cause,
                              null,
                              null,
                              null,
                              amountDue)
                          .map(Optional.of(call));
                    }));
  }

  /** The pledge's live call, if any. */
  public Future<Optional<MarginCall>> live(String pledgeId) {
    return pool.preparedQuery(
            "SELECT * FROM margin_calls WHERE pledge_id = $1 AND state IN " + LIVE_STATES)
        .execute(Tuple.of(pledgeId))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(call(rows.iterator().next())));
  }

  /**
   * Moves a call from {@code from} to {@code to}; empty when it was no longer in {@code from}
   * (someone else moved it first). A desk's move ({@code actor} present) is audited; an escalation
   * opens the pledge's disposal case in the same transaction.
   */
  public Future<Optional<MarginCall>> move(
      MarginCall call,
      CallState to,
      BigDecimal amountDue,
      Instant at,
      String cause,
      Optional<AuditLog.Actor> actor,
      String reason) {
    return pool.withTransaction(
        connection -> move(connection, call, to, amountDue, at, cause, actor, reason));
  }

  /** As above, inside the caller's transaction (an approval that decides its request first). */
  public static Future<Optional<MarginCall>> move(
      SqlConnection connection,
      MarginCall call,
      CallState to,
      BigDecimal amountDue,
      Instant at,
      String cause,
      Optional<AuditLog.Actor> actor,
      String reason) {
    return connection
        .preparedQuery(MOVE)
        .execute(
            Tuple.tuple()
                .addLong(call.id())
                .addString(call.state().name())
                .addString(to.name())
                .addValue(amountDue)
                .addOffsetDateTime(utc(at)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.<MarginCall>empty());
              }
              MarginCall moved = call(rows.iterator().next());
              Future<Void> recorded =
                  to == CallState.ESCALATED
                      ? DisposalRepository.open(connection, moved, at)
                      : Future.succeededFuture();
              recorded =
                  recorded.compose(
                      v ->
                          event(
                              connection,
                              call.id(),
                              at,
                              call.state(),
                              to,
                              cause,
                              actor.map(AuditLog.Actor::subject).orElse(null),
                              actor.map(AuditLog.Actor::requestId).orElse(null),
                              reason,
                              moved.amountDue()));
              if (actor.isPresent()) {
                recorded =
                    recorded.compose(
                        v ->
                            AuditLog.append(
                                    connection,
                                    actor.get(),
                                    new AuditLog.Draft(
                                        call.bank(),
                                        "margin-call." + to.name().toLowerCase(),
                                        "margin-call",
                                        Long.toString(call.id()),
                                        new io.vertx.core.json.JsonObject()
                                            .put("state", call.state().name())
                                            .encode(),
                                        new io.vertx.core.json.JsonObject()
                                            .put("state", to.name())
                                            .put("reason", reason)
                                            .encode()))
                                .mapEmpty());
              }
              return recorded.map(Optional.of(moved));
            });
  }

  /**
   * A live call past its due time, and whether it is a disposal call: opened in DISPOSAL, or its
   * pledge has fallen into DISPOSAL since.
   */
  public record Due(MarginCall call, boolean disposal) {}

  /**
   * Live calls whose due time has passed and that are still running, and overdue calls whose pledge
   * has since fallen into DISPOSAL.
   */
  public Future<List<Due>> due(Instant now) {
    return pool.preparedQuery(
            """
            SELECT c.*, (c.opened_in = 'DISPOSAL' OR coalesce(p.status = 'DISPOSAL', false)) AS in_disposal
            FROM margin_calls c JOIN pledges p ON p.id = c.pledge_id
            WHERE c.due_at < $1
              AND (c.state IN ('OPEN', 'ACKNOWLEDGED', 'DISPUTED', 'PARTIALLY_MET')
                   OR (c.state = 'OVERDUE' AND p.status = 'DISPOSAL'))
            ORDER BY c.id
            """)
        .execute(Tuple.of(utc(now)))
        .map(
            rows -> {
              List<Due> due = new ArrayList<>();
              rows.forEach(row -> due.add(new Due(call(row), row.getBoolean("in_disposal"))));
              return due;
            });
  }

  /** A bank's calls (or every bank's), optionally in one state; overdue and escalated first. */
  public Future<List<MarginCall>> list(
      Optional<String> bank, Optional<CallState> state, int limit) {
    String sql =
        "SELECT * FROM margin_calls WHERE ($1::text IS NULL OR bank = $1) AND ($2::text IS NULL OR state = $2) "
            + "ORDER BY CASE state WHEN 'ESCALATED' THEN 0 WHEN 'OVERDUE' THEN 1 ELSE 2 END, due_at, id "
            + "LIMIT $3";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(bank.orElse(null), state.map(Enum::name).orElse(null), limit))
        .map(MarginCallRepository::calls);
  }

  public Future<Optional<MarginCall>> find(long id) {
    return pool.preparedQuery("SELECT * FROM margin_calls WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(call(rows.iterator().next())));
  }

  public Future<List<Event>> events(long callId) {
    return pool.preparedQuery("SELECT * FROM margin_call_events WHERE call_id = $1 ORDER BY id")
        .execute(Tuple.of(callId))
        .map(
            rows -> {
              List<Event> events = new ArrayList<>();
              rows.forEach(
                  row ->
                      events.add(
                          new Event(
                              row.getOffsetDateTime("at").toInstant(),
                              row.getString("from_state"),
                              row.getString("to_state"),
                              row.getString("cause"),
                              row.getString("actor"),
                              row.getString("request_id"),
                              row.getString("reason"),
                              row.getBigDecimal("amount_due"))));
              return events;
            });
  }

  private static Future<Void> event(
      SqlConnection connection,
      long callId,
      Instant at,
      CallState from,
      CallState to,
      String cause,
      String actor,
      String requestId,
      String reason,
      BigDecimal amountDue) {
    return connection
        .preparedQuery(EVENT)
        .execute(
            Tuple.tuple()
                .addLong(callId)
                .addOffsetDateTime(utc(at))
                .addString(from == null ? null : from.name())
                .addString(to.name())
                .addString(cause)
                .addString(actor)
                .addString(requestId)
                .addString(reason)
                .addValue(amountDue))
        .mapEmpty();
  }

  private static List<MarginCall> calls(Iterable<Row> rows) {
    List<MarginCall> calls = new ArrayList<>();
    rows.forEach(row -> calls.add(call(row)));
    return calls;
  }

  private static MarginCall call(Row row) {
    return new MarginCall(
        row.getLong("id"),
        row.getString("bank"),
        row.getString("pledge_id"),
        row.getString("instrument"),
        CallState.valueOf(row.getString("state")),
        row.getString("opened_in"),
        row.getBigDecimal("amount_due"),
        row.getBigDecimal("quantity_due"),
        row.getOffsetDateTime("opened_at").toInstant(),
        row.getOffsetDateTime("due_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getLong("version"));
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
