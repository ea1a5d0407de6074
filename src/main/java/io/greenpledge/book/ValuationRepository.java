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
import java.util.Optional;

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

  /** The book of one bank at one 15-minute snapshot: sums of the pledges' stored valuations. */
  public record TrendPoint(
      Instant at,
      String bank,
      int pledges,
      BigDecimal outstanding,
      BigDecimal marketValue,
      BigDecimal eligibleValue,
      BigDecimal cashMargin,
      BigDecimal topUp,
      java.util.Map<String, Integer> byStatus) {}

  /**
   * The book's figures at each 15-minute snapshot in {@code [from, to)}, per bank (empty: every
   * bank), in time order: what the wall's coverage trend and "change over today" are drawn from.
   */
  public Future<List<TrendPoint>> trend(Optional<String> bank, Instant from, Instant to) {
    return pool.preparedQuery(
            """
            SELECT to_timestamp(floor(extract(epoch FROM valued_at) / 900) * 900) AS at, bank,
                   count(*) AS pledges,
                   sum((payload->>'outstanding')::numeric) AS outstanding,
                   sum((payload->>'marketValue')::numeric) AS market_value,
                   sum((payload->>'eligibleValue')::numeric) AS eligible,
                   sum(coalesce((payload->>'cashMargin')::numeric, 0)) AS cash,
                   sum(coalesce((payload->'topUp'->>'amount')::numeric, 0)) AS top_up,
                   count(*) FILTER (WHERE status = 'HEALTHY') AS healthy,
                   count(*) FILTER (WHERE status = 'WARNING') AS warning,
                   count(*) FILTER (WHERE status = 'MARGIN_CALL') AS margin_call,
                   count(*) FILTER (WHERE status = 'DISPOSAL') AS disposal
            FROM valuations
            WHERE reason = 'SNAPSHOT' AND valued_at >= $1 AND valued_at < $2
              AND ($3::text IS NULL OR bank = $3)
            GROUP BY 1, bank ORDER BY 1, bank
            """)
        .execute(
            Tuple.tuple()
                .addValue(from.atOffset(ZoneOffset.UTC))
                .addValue(to.atOffset(ZoneOffset.UTC))
                .addValue(bank.orElse(null)))
        .map(
            rows -> {
              List<TrendPoint> points = new java.util.ArrayList<>();
              rows.forEach(
                  row ->
                      points.add(
                          new TrendPoint(
                              row.getOffsetDateTime("at").toInstant(),
                              row.getString("bank"),
                              row.getInteger("pledges"),
                              row.getBigDecimal("outstanding"),
                              row.getBigDecimal("market_value"),
                              row.getBigDecimal("eligible"),
                              row.getBigDecimal("cash"),
                              row.getBigDecimal("top_up"),
                              java.util.Map.of(
                                  "HEALTHY", row.getInteger("healthy"),
                                  "WARNING", row.getInteger("warning"),
                                  "MARGIN_CALL", row.getInteger("margin_call"),
                                  "DISPOSAL", row.getInteger("disposal")))));
              return points;
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
