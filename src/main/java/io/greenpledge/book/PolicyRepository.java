package io.greenpledge.book;

import io.greenpledge.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Each bank's own four-eyes policy, where it set one; audited on every change. */
public final class PolicyRepository {

  /**
   * What a bank chose, and who last changed it.
   *
   * @param callDueDays trading days to meet a margin call; empty: the gateway's default
   */
  public record Policy(
      String bank,
      Set<String> fourEyes,
      Optional<Integer> callDueDays,
      Instant updatedAt,
      String updatedBy,
      long version) {}

  private static final String SAVE =
      """
      INSERT INTO bank_policies (bank, four_eyes, call_due_days, updated_at, updated_by)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (bank) DO UPDATE SET four_eyes = excluded.four_eyes, call_due_days = excluded.call_due_days,
        updated_at = excluded.updated_at, updated_by = excluded.updated_by, version = bank_policies.version + 1
      RETURNING *
      """;

  private final Pool pool;

  public PolicyRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Optional<Policy>> find(String bank) {
    return pool.preparedQuery("SELECT * FROM bank_policies WHERE bank = $1")
        .execute(Tuple.of(bank))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(policy(rows.iterator().next())));
  }

  /** Every bank that set its own policy (the regulator's view). */
  public Future<List<Policy>> all() {
    return pool.query("SELECT * FROM bank_policies ORDER BY bank")
        .execute()
        .map(
            rows -> {
              List<Policy> policies = new ArrayList<>();
              rows.forEach(row -> policies.add(policy(row)));
              return policies;
            });
  }

  /**
   * Sets a bank's policy inside the caller's transaction, with its audit entry ({@code before} and
   * {@code after} as the API shows them).
   */
  public static Future<Policy> save(
      SqlConnection connection,
      String bank,
      Set<String> fourEyes,
      Optional<Integer> callDueDays,
      JsonObject before,
      AuditLog.Actor actor,
      Instant at) {
    Set<String> sorted = new TreeSet<>(fourEyes);
    return connection
        .preparedQuery(SAVE)
        .execute(
            Tuple.tuple()
                .addString(bank)
                .addValue(sorted.toArray(String[]::new))
                .addInteger(callDueDays.orElse(null))
                .addOffsetDateTime(at.atOffset(ZoneOffset.UTC))
                .addString(actor.subject()))
        .map(rows -> policy(rows.iterator().next()))
        .compose(
            saved ->
                AuditLog.append(
                        connection,
                        actor,
                        new AuditLog.Draft(
                            bank,
                            "policy.four-eyes",
                            "policy",
                            bank,
                            before.encode(),
                            new JsonObject()
                                .put("fourEyes", new JsonArray(List.copyOf(sorted)))
                                .put("callDueDays", callDueDays.orElse(null))
                                .encode()))
                    .map(saved));
  }

  private static Policy policy(Row row) {
    return new Policy(
        row.getString("bank"),
        Set.of(row.getArrayOfStrings("four_eyes")),
        Optional.ofNullable(row.getInteger("call_due_days")),
        row.getOffsetDateTime("updated_at").toInstant(),
        row.getString("updated_by"),
        row.getLong("version"));
  }
}
