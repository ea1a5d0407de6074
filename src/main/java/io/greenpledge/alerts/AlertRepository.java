package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.wire.AlertJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Persists alerts with a gap-free per-bank sequence. In one transaction: lock the banks (advisory,
 * in a fixed order, so replicas never deadlock), drop alerts whose idempotency key is already
 * stored, number the rest after each bank's last seq, insert them in one statement.
 */
public final class AlertRepository implements AlertStore {

  private static final String LOCK_BANKS =
      "SELECT pg_advisory_xact_lock(hashtext('alerts:' || b)) FROM unnest($1::text[]) AS b ORDER BY b";
  private static final String EXISTING =
      "SELECT * FROM alerts WHERE idempotency_key = ANY($1::text[])";

  /** Each pledge's last stored status change and how many it has had (its status epoch). */
  private static final String LAST_TRANSITIONS =
      """
      SELECT DISTINCT ON (pledge_id) *,
             count(*) OVER (PARTITION BY pledge_id) AS transitions
      FROM alerts WHERE kind = 'STATUS_CHANGE' AND pledge_id = ANY($1::text[])
      ORDER BY pledge_id, seq DESC
      """;

  private static final String LAST_SEQ =
      "SELECT bank, max(seq) AS seq FROM alerts WHERE bank = ANY($1::text[]) GROUP BY bank";
  private static final String INSERT =
      """
      INSERT INTO alerts (bank, seq, kind, idempotency_key, pledge_id, instrument, payload, occurred_at)
      SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                           $8::timestamptz[])
      RETURNING id, idempotency_key
      """;
  private static final String SINCE_FOR_BANK =
      """
      SELECT * FROM alerts WHERE bank = $1 AND seq > $2 ORDER BY seq LIMIT $3
      """;
  private static final String SINCE_ALL =
      """
      SELECT * FROM alerts WHERE id > $1 ORDER BY id LIMIT $2
      """;

  private final Pool pool;

  public AlertRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the alerts not stored before and answers every alert of the batch with its id and seq,
   * whether this call stored it or an earlier one (another replica valuing the same tick) did: each
   * node tells its own desks, and a desk skips what its cursor has already seen.
   */
  @Override
  public Future<List<Alert>> append(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.withTransaction(connection -> append(connection, dedupeInBatch(alerts)));
  }

  private static List<Alert> dedupeInBatch(List<Alert> alerts) {
    Set<String> seen = new HashSet<>();
    return alerts.stream().filter(a -> seen.add(a.key())).toList();
  }

  private Future<List<Alert>> append(SqlConnection connection, List<Alert> alerts) {
    String[] banks =
        new TreeSet<>(alerts.stream().map(Alert::bank).toList()).toArray(String[]::new);
    String[] keys = alerts.stream().map(Alert::key).toArray(String[]::new);
    return connection
        .preparedQuery(LOCK_BANKS)
        .execute(Tuple.of(banks))
        .compose(locked -> connection.preparedQuery(EXISTING).execute(Tuple.of((Object) keys)))
        .compose(
            existing -> {
              List<Alert> known = alerts(existing);
              Set<String> stored = new HashSet<>();
              known.forEach(a -> stored.add(a.key()));
              List<Alert> unseen = alerts.stream().filter(a -> !stored.contains(a.key())).toList();
              return consistentTransitions(connection, unseen, known);
            })
        .compose(
            fresh -> {
              List<Alert> known = fresh.known();
              if (fresh.alerts().isEmpty()) {
                return Future.succeededFuture(known);
              }
              return connection
                  .preparedQuery(LAST_SEQ)
                  .execute(Tuple.of((Object) banks))
                  .compose(last -> insert(connection, fresh.alerts(), lastSeqs(last)))
                  .map(
                      inserted -> {
                        List<Alert> all = new ArrayList<>(known);
                        all.addAll(inserted);
                        return all;
                      });
            });
  }

  private record Fresh(List<Alert> alerts, List<Alert> known) {}

  /**
   * A status change is the pledge's n-th transition, and the store is the judge of n: its key is
   * (pledge, from, to, n), whatever tick or node produced it. A change whose {@code to} is already
   * the pledge's stored status was stored by another node (it is answered as that alert); one whose
   * {@code from} is not the stored status comes from a node that fell behind (a rejoin) and is
   * dropped, so the stored history never contradicts itself.
   */
  private Future<Fresh> consistentTransitions(
      SqlConnection connection, List<Alert> unseen, List<Alert> known) {
    String[] pledges =
        unseen.stream()
            .filter(a -> a.kind() == Alert.Kind.STATUS_CHANGE)
            .map(Alert::pledgeId)
            .distinct()
            .toArray(String[]::new);
    if (pledges.length == 0) {
      return Future.succeededFuture(new Fresh(unseen, known));
    }
    return connection
        .preparedQuery(LAST_TRANSITIONS)
        .execute(Tuple.of((Object) pledges))
        .map(
            rows -> {
              Map<String, Alert> last = new HashMap<>();
              Map<String, Long> epochs = new HashMap<>();
              for (Row row : rows) {
                last.put(row.getString("pledge_id"), alerts(List.of(row)).get(0));
                epochs.put(row.getString("pledge_id"), row.getLong("transitions"));
              }
              List<Alert> fresh = new ArrayList<>();
              List<Alert> answered = new ArrayList<>(known);
              for (Alert alert : unseen) {
                if (alert.kind() != Alert.Kind.STATUS_CHANGE) {
                  fresh.add(alert);
                  continue;
                }
                String from = ((AlertEvent.StatusChanged) alert.event()).from();
                String to = ((AlertEvent.StatusChanged) alert.event()).to();
                Alert previous = last.get(alert.pledgeId());
                String storedStatus =
                    previous == null ? null : ((AlertEvent.StatusChanged) previous.event()).to();
                if (to.equals(storedStatus)) {
                  answered.add(previous);
                } else if (storedStatus == null || storedStatus.equals(from)) {
                  long epoch = epochs.merge(alert.pledgeId(), 1L, Long::sum);
                  Alert keyed =
                      alert.withKey(
                          "status:" + alert.pledgeId() + ":" + from + ">" + to + ":" + epoch);
                  fresh.add(keyed);
                  last.put(alert.pledgeId(), keyed);
                }
              }
              return new Fresh(fresh, answered);
            });
  }

  private static Map<String, Long> lastSeqs(RowSet<Row> rows) {
    Map<String, Long> last = new HashMap<>();
    rows.forEach(row -> last.put(row.getString("bank"), row.getLong("seq")));
    return last;
  }

  private Future<List<Alert>> insert(
      SqlConnection connection, List<Alert> fresh, Map<String, Long> lastSeq) {
    int n = fresh.size();
    List<Alert> numbered = new ArrayList<>(n);
    String[] banks = new String[n];
    Long[] seqs = new Long[n];
    String[] kinds = new String[n];
    String[] keys = new String[n];
    String[] pledges = new String[n];
    String[] instruments = new String[n];
    JsonObject[] payloads = new JsonObject[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Alert alert = fresh.get(i);
      long seq = lastSeq.merge(alert.bank(), 1L, Long::sum);
      numbered.add(alert.persisted(0, seq));
      banks[i] = alert.bank();
      seqs[i] = seq;
      kinds[i] = alert.kind().name();
      keys[i] = alert.key();
      pledges[i] = alert.pledgeId();
      instruments[i] = alert.instrument();
      payloads[i] = AlertJson.data(alert.event());
      times[i] = alert.occurredAt().atOffset(ZoneOffset.UTC);
    }
    Tuple params =
        Tuple.tuple()
            .addValue(banks)
            .addValue(seqs)
            .addValue(kinds)
            .addValue(keys)
            .addValue(pledges)
            .addValue(instruments)
            .addValue(payloads)
            .addValue(times);
    return connection
        .preparedQuery(INSERT)
        .execute(params)
        .map(
            rows -> {
              Map<String, Long> ids = new HashMap<>();
              rows.forEach(row -> ids.put(row.getString("idempotency_key"), row.getLong("id")));
              return numbered.stream().map(a -> a.persisted(ids.get(a.key()), a.seq())).toList();
            });
  }

  /** A bank's (or, with no bank, every bank's) latest {@code limit} alerts, oldest first. */
  @Override
  public Future<List<Alert>> latest(java.util.Optional<String> bank, int limit) {
    Future<RowSet<Row>> rows =
        bank.isPresent()
            ? pool.preparedQuery(
                    "SELECT * FROM (SELECT * FROM alerts WHERE bank = $1 ORDER BY seq DESC LIMIT $2) a ORDER BY seq")
                .execute(Tuple.of(bank.get(), limit))
            : pool.preparedQuery(
                    "SELECT * FROM (SELECT * FROM alerts ORDER BY id DESC LIMIT $1) a ORDER BY id")
                .execute(Tuple.of(limit));
    return rows.map(AlertRepository::alerts);
  }

  /** A bank's alerts after {@code seq}, oldest first. */
  @Override
  public Future<List<Alert>> since(String bank, long seq, int limit) {
    return pool.preparedQuery(SINCE_FOR_BANK)
        .execute(Tuple.of(bank, seq, limit))
        .map(AlertRepository::alerts);
  }

  /** Every bank's alerts after the global {@code id}, for the regulator. */
  @Override
  public Future<List<Alert>> sinceAll(long id, int limit) {
    return pool.preparedQuery(SINCE_ALL).execute(Tuple.of(id, limit)).map(AlertRepository::alerts);
  }

  private static List<Alert> alerts(Iterable<Row> rows) {
    List<Alert> alerts = new ArrayList<>();
    rows.forEach(
        row ->
            alerts.add(
                new Alert(
                    row.getLong("id"),
                    row.getString("bank"),
                    row.getLong("seq"),
                    row.getString("idempotency_key"),
                    row.getString("pledge_id"),
                    row.getString("instrument"),
                    AlertJson.event(
                        Alert.Kind.valueOf(row.getString("kind")),
                        (JsonObject) row.getValue("payload")),
                    row.getOffsetDateTime("occurred_at").toInstant())));
    return alerts;
  }
}
