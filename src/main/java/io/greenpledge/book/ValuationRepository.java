package io.greenpledge.book;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Valuation history, written in batches off the hot path. */
public final class ValuationRepository {

  private static final String INSERT =
      """
      INSERT INTO valuations (pledge_id, bank, valued_at, reason, status, coverage, market_value, payload)
      SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::float8[],
                           $7::numeric[], $8::jsonb[])
      """;
  private static final String HISTORY =
      """
      SELECT reason, payload FROM valuations
      WHERE pledge_id = $1 AND valued_at >= $2 AND valued_at < $3 ORDER BY valued_at, id LIMIT $4
      """;

  /** One row of history: why it was recorded and the valuation as sent on the wire. */
  public record Entry(
      String pledgeId,
      String bank,
      Instant valuedAt,
      String reason,
      String status,
      Double coverage,
      BigDecimal marketValue,
      JsonObject payload) {}

  private final Pool pool;

  public ValuationRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = entries.size();
    String[] ids = new String[n];
    String[] banks = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] reasons = new String[n];
    String[] statuses = new String[n];
    Double[] coverages = new Double[n];
    BigDecimal[] values = new BigDecimal[n];
    JsonObject[] payloads = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      ids[i] = e.pledgeId();
      banks[i] = e.bank();
      times[i] = e.valuedAt().atOffset(ZoneOffset.UTC);
      reasons[i] = e.reason();
      statuses[i] = e.status();
      coverages[i] = e.coverage() == null || e.coverage().isInfinite() ? null : e.coverage();
      values[i] = e.marketValue();
      payloads[i] = e.payload();
    }
    Tuple params =
        Tuple.tuple()
            .addValue(ids)
            .addValue(banks)
            .addValue(times)
            .addValue(reasons)
            .addValue(statuses)
            .addValue(coverages)
            .addValue(values)
            .addValue(payloads);
    return pool.preparedQuery(INSERT).execute(params).mapEmpty();
  }

  /** One stored valuation: why it was written, and the valuation as served then. */
  public record HistoryEntry(String reason, JsonObject valuation) {}

  public Future<List<HistoryEntry>> history(String pledgeId, Instant from, Instant to, int limit) {
    return pool.preparedQuery(HISTORY)
        .execute(
            Tuple.of(pledgeId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
        .map(
            rows -> {
              List<HistoryEntry> entries = new ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      entries.add(
                          new HistoryEntry(
                              row.getString("reason"), (JsonObject) row.getValue("payload"))));
              return entries;
            });
  }

  /**
   * The loan balance pledges secured at {@code at}, by right category: each pledge's outstanding as
   * its last stored valuation at or before then says, for pledges not yet released then.
   */
  public Future<java.util.Map<String, BigDecimal>> balanceByCategory(Instant at) {
    return pool.preparedQuery(
            """
            SELECT i.category, sum((v.payload->>'outstanding')::numeric) AS balance
            FROM (SELECT DISTINCT ON (pledge_id) pledge_id, payload FROM valuations
                  WHERE valued_at <= $1 ORDER BY pledge_id, valued_at DESC) v
            JOIN pledges p ON p.id = v.pledge_id AND (p.released_at IS NULL OR p.released_at > $1)
            JOIN instruments i ON i.id = p.instrument
            GROUP BY i.category
            """)
        .execute(Tuple.of(at.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              java.util.Map<String, BigDecimal> balances = new java.util.TreeMap<>();
              rows.forEach(
                  row -> balances.put(row.getString("category"), row.getBigDecimal("balance")));
              return balances;
            });
  }
}
