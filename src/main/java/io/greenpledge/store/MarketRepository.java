package io.greenpledge.store;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Tick;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the market side of the database: catalog, warm-up state, candles. */
public final class MarketRepository {

  private static final String UPSERT_INSTRUMENT =
      """
      INSERT INTO instruments (id, name, name_en, category, unit, currency, liquidity_tier, reference_price,
                               daily_limit, expiring)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
        category = excluded.category, unit = excluded.unit, currency = excluded.currency,
        liquidity_tier = excluded.liquidity_tier, reference_price = excluded.reference_price,
        daily_limit = excluded.daily_limit, expiring = excluded.expiring
      """;

  private static final String DAILY_BARS =
      """
      SELECT instrument, day, open, high, low, close, close_at, volume, notional
      FROM daily_bars WHERE day >= $1 ORDER BY instrument, day
      """;

  private static final String LAST_TICKS =
      """
      SELECT t.instrument, t.price, t.quantity, t.ts, t.source, t.seq
      FROM unnest($1::text[]) AS i(id)
      CROSS JOIN LATERAL (
        SELECT * FROM ticks WHERE instrument = i.id ORDER BY ts DESC, id DESC LIMIT 1) t
      """;

  /**
   * Each source's stored seqs in the window the market judges resends by (market.SourceSequence),
   * ascending.
   */
  private static final String SOURCES =
      """
      SELECT s.source, array_agg(t.seq ORDER BY t.seq) AS seqs
      FROM tick_sources s
      JOIN LATERAL (SELECT seq FROM ticks WHERE source = s.source AND seq > s.last_seq - 16384) t ON true
      GROUP BY s.source
      """;

  private static final String INTRADAY_CANDLES =
      """
      SELECT date_bin($2::int * interval '1 second', ts, TIMESTAMPTZ '2000-01-01 00:00:00+08') AS bucket,
             (array_agg(price ORDER BY ts, seq))[1] AS open, max(price) AS high, min(price) AS low,
             (array_agg(price ORDER BY ts DESC, seq DESC))[1] AS close,
             sum(quantity) AS volume, count(*) AS trades
      FROM ticks WHERE instrument = $1 AND ts >= $3::timestamptz AND ts < $4::timestamptz
      GROUP BY bucket ORDER BY bucket
      """;

  private static final String DAILY_CANDLES =
      """
      SELECT (day::timestamp AT TIME ZONE 'Asia/Shanghai') AS bucket, open, high, low, close, volume, trades
      FROM daily_bars
      WHERE instrument = $1 AND day >= ($2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
        AND day <= (($3::timestamptz - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai')::date
      ORDER BY day
      """;

  /** What the market needs from the journal to resume where it stopped. */
  public record Snapshot(
      Map<String, List<DailyBar>> bars,
      Map<String, Tick> lastTicks,
      Map<String, List<Long>> storedSeqsBySource) {

    public boolean hasHistory(String instrument) {
      return bars.containsKey(instrument);
    }
  }

  /** One OHLCV candle; prices as stored (numeric), time is the bucket start. */
  public record Candle(
      Instant start,
      BigDecimal open,
      BigDecimal high,
      BigDecimal low,
      BigDecimal close,
      BigDecimal volume,
      long trades) {}

  private final Pool pool;

  public MarketRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> upsertCatalog(Instruments catalog) {
    List<Tuple> rows = catalog.all().stream().map(MarketRepository::catalogRow).toList();
    return pool.preparedQuery(UPSERT_INSTRUMENT).executeBatch(rows).mapEmpty();
  }

  private static Tuple catalogRow(Instrument i) {
    return Tuple.of(i.id(), i.name(), i.nameEn(), i.category().name(), i.unit(), i.currency())
        .addString(i.tier().name())
        .addValue(BigDecimal.valueOf(i.referencePrice()))
        .addValue(BigDecimal.valueOf(i.dailyLimit()))
        .addBoolean(i.expiring());
  }

  /** Journals history ticks directly (used to seed a fresh demo); idempotent on (source, seq). */
  public Future<Void> journal(List<Tick> ticks) {
    if (ticks.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(connection -> TickJournal.store(connection, ticks));
  }

  public Future<Snapshot> loadSnapshot(List<String> instruments, LocalDate since) {
    Future<Map<String, List<DailyBar>>> bars =
        pool.preparedQuery(DAILY_BARS)
            .execute(Tuple.of(since))
            .map(
                rows -> {
                  Map<String, List<DailyBar>> byInstrument = new HashMap<>();
                  rows.forEach(
                      row ->
                          byInstrument
                              .computeIfAbsent(row.getString("instrument"), k -> new ArrayList<>())
                              .add(dailyBar(row)));
                  return byInstrument;
                });
    Future<Map<String, Tick>> last =
        pool.preparedQuery(LAST_TICKS)
            .execute(Tuple.of(instruments.toArray(String[]::new)))
            .map(
                rows -> {
                  Map<String, Tick> byInstrument = new HashMap<>();
                  rows.forEach(row -> byInstrument.put(row.getString("instrument"), tick(row)));
                  return byInstrument;
                });
    Future<Map<String, List<Long>>> sources =
        pool.query(SOURCES)
            .execute()
            .map(
                rows -> {
                  Map<String, List<Long>> bySource = new HashMap<>();
                  rows.forEach(
                      row ->
                          bySource.put(
                              row.getString("source"), List.of(row.getArrayOfLongs("seqs"))));
                  return bySource;
                });
    return Future.all(bars, last, sources)
        .map(done -> new Snapshot(bars.result(), last.result(), sources.result()));
  }

  /**
   * Candles for 1m/1h from the journal, 1d from the daily bars; buckets aligned to Asia/Shanghai.
   */
  public Future<List<Candle>> candles(
      String instrument, Duration interval, Instant from, Instant to) {
    boolean daily = interval.equals(Duration.ofDays(1));
    Tuple params =
        daily
            ? Tuple.of(instrument, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
            : Tuple.of(
                instrument,
                (int) interval.toSeconds(),
                from.atOffset(ZoneOffset.UTC),
                to.atOffset(ZoneOffset.UTC));
    return pool.preparedQuery(daily ? DAILY_CANDLES : INTRADAY_CANDLES)
        .execute(params)
        .map(
            rows -> {
              List<Candle> candles = new ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      candles.add(
                          new Candle(
                              row.getOffsetDateTime("bucket").toInstant(),
                              row.getBigDecimal("open"),
                              row.getBigDecimal("high"),
                              row.getBigDecimal("low"),
                              row.getBigDecimal("close"),
                              row.getBigDecimal("volume"),
                              row.getLong("trades"))));
              return candles;
            });
  }

  /** The instrument's last journaled trade at or before {@code at}, if any. */
  public Future<java.util.Optional<Tick>> lastTickAtOrBefore(
      String instrument, java.time.Instant at) {
    return pool.preparedQuery(
            "SELECT instrument, price, quantity, ts, source, seq FROM ticks "
                + "WHERE instrument = $1 AND ts <= $2 ORDER BY ts DESC, id DESC LIMIT 1")
        .execute(Tuple.of(instrument, at.atOffset(java.time.ZoneOffset.UTC)))
        .map(
            rows ->
                rows.size() == 0
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(tick(rows.iterator().next())));
  }

  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  static DailyBar dailyBar(Row row) {
    return new DailyBar(
        row.getLocalDate("day"),
        row.getBigDecimal("open").doubleValue(),
        row.getBigDecimal("high").doubleValue(),
        row.getBigDecimal("low").doubleValue(),
        row.getBigDecimal("close").doubleValue(),
        row.getOffsetDateTime("close_at").toInstant(),
        row.getBigDecimal("volume").doubleValue(),
        row.getBigDecimal("notional").doubleValue());
  }

  static Tick tick(Row row) {
    return new Tick(
        row.getString("instrument"),
        row.getBigDecimal("price").doubleValue(),
        row.getBigDecimal("quantity").doubleValue(),
        row.getOffsetDateTime("ts").toInstant(),
        row.getString("source"),
        row.getLong("seq"));
  }
}
