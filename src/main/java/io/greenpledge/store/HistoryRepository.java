package io.greenpledge.store;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.TradingCalendar;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imported daily bars and the imports that wrote them. A day built from journaled ticks is never
 * overwritten by an import; a day an earlier import wrote is replaced only when the figures differ.
 */
public final class HistoryRepository {

  /** A day as an import writes it, exact to the journal's 4 decimals. */
  public record ImportedBar(
      LocalDate day,
      BigDecimal open,
      BigDecimal high,
      BigDecimal low,
      BigDecimal close,
      BigDecimal volume,
      BigDecimal amount) {

    public ImportedBar {
      open = journal(open);
      high = journal(high);
      low = journal(low);
      close = journal(close);
      volume = journal(volume);
      amount = journal(amount);
    }

    /** Same figures, whatever their scale. */
    public boolean sameAs(ImportedBar other) {
      return open.compareTo(other.open) == 0
          && high.compareTo(other.high) == 0
          && low.compareTo(other.low) == 0
          && close.compareTo(other.close) == 0
          && volume.compareTo(other.volume) == 0
          && amount.compareTo(other.amount) == 0;
    }

    private static BigDecimal journal(BigDecimal value) {
      return value.setScale(4, RoundingMode.HALF_EVEN);
    }
  }

  /** A stored day and who wrote it: an import (its id) or the journal (empty). */
  public record StoredDay(ImportedBar bar, Optional<Long> importId) {}

  /** One import, as listed. */
  public record ImportRecord(
      long id,
      String fileName,
      String sha256,
      String layout,
      List<String> instruments,
      LocalDate firstDay,
      LocalDate lastDay,
      int daysWritten,
      int daysSame,
      int refused,
      String importedBy,
      Instant importedAt,
      Optional<Instant> undoneAt) {}

  private static final String UPSERT =
      """
      INSERT INTO daily_bars AS b (instrument, day, open, open_at, high, low, close, close_at, volume,
                                   notional, trades, import_id)
      SELECT $1, d, o, oa, h, l, c, ca, v, n, 0, $2
      FROM unnest($3::date[], $4::numeric[], $5::timestamptz[], $6::numeric[], $7::numeric[],
                  $8::numeric[], $9::timestamptz[], $10::numeric[], $11::numeric[])
           AS x(d, o, oa, h, l, c, ca, v, n)
      ON CONFLICT (instrument, day) DO UPDATE SET
        open = EXCLUDED.open, open_at = EXCLUDED.open_at, high = EXCLUDED.high, low = EXCLUDED.low,
        close = EXCLUDED.close, close_at = EXCLUDED.close_at, volume = EXCLUDED.volume,
        notional = EXCLUDED.notional, import_id = EXCLUDED.import_id
      WHERE b.import_id IS NOT NULL
      """;
  private static final String INSERT_IMPORT =
      """
      INSERT INTO history_imports (file_name, file_sha256, layout, instruments, first_day, last_day,
                                   days_written, days_same, refused, imported_by, trade_source)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
      """;

  private final Pool pool;

  public HistoryRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** A live (not undone) import of the same bytes. */
  public Future<Optional<ImportRecord>> findBySha(String sha256) {
    return pool.preparedQuery(
            "SELECT * FROM history_imports WHERE file_sha256 = $1 AND undone_at IS NULL")
        .execute(Tuple.of(sha256))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(record(rows.iterator().next())));
  }

  /** The close of the last stored day before {@code day}: where a series' limit band starts. */
  public Future<Optional<BigDecimal>> closeBefore(String instrument, LocalDate day) {
    return pool.preparedQuery(
            "SELECT close FROM daily_bars WHERE instrument = $1 AND day < $2 ORDER BY day DESC LIMIT 1")
        .execute(Tuple.of(instrument, day))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getBigDecimal("close")));
  }

  /** The stored days of an instrument between two dates, inclusive. */
  public Future<Map<LocalDate, StoredDay>> days(String instrument, LocalDate from, LocalDate to) {
    return pool.preparedQuery(
            "SELECT * FROM daily_bars WHERE instrument = $1 AND day BETWEEN $2 AND $3")
        .execute(Tuple.of(instrument, from, to))
        .map(
            rows -> {
              Map<LocalDate, StoredDay> days = new HashMap<>();
              rows.forEach(
                  row ->
                      days.put(
                          row.getLocalDate("day"),
                          new StoredDay(
                              new ImportedBar(
                                  row.getLocalDate("day"),
                                  row.getBigDecimal("open"),
                                  row.getBigDecimal("high"),
                                  row.getBigDecimal("low"),
                                  row.getBigDecimal("close"),
                                  row.getBigDecimal("volume"),
                                  row.getBigDecimal("notional")),
                              Optional.ofNullable(row.getLong("import_id")))));
              return days;
            });
  }

  /** The daily bars an instrument's statistics would use, oldest first. */
  public Future<List<DailyBar>> bars(String instrument, LocalDate from, LocalDate to) {
    return pool.preparedQuery(
            "SELECT * FROM daily_bars WHERE instrument = $1 AND day BETWEEN $2 AND $3 "
                + "ORDER BY day")
        .execute(Tuple.of(instrument, from, to))
        .map(
            rows -> {
              List<DailyBar> bars = new ArrayList<>();
              rows.forEach(
                  row ->
                      bars.add(
                          new DailyBar(
                              row.getLocalDate("day"),
                              row.getDouble("open"),
                              row.getDouble("high"),
                              row.getDouble("low"),
                              row.getDouble("close"),
                              row.getOffsetDateTime("close_at").toInstant(),
                              row.getDouble("volume"),
                              row.getDouble("notional"))));
              return bars;
            });
  }

  /** Records an import and writes its days, in one transaction; answers the import's id. */
  public Future<Long> store(
      ImportRecord record, Map<String, List<ImportedBar>> barsByInstrument, AuditLog.Actor actor) {
    return recorded(
        record,
        null,
        actor,
        (connection, id) -> {
          Future<Void> written = Future.succeededFuture();
          for (Map.Entry<String, List<ImportedBar>> e : barsByInstrument.entrySet()) {
            written = written.compose(v -> write(connection, id, e.getKey(), e.getValue()));
          }
          return written;
        });
  }

  /**
   * Records a trades import and journals its trades (idempotent by source and seq, daily bars kept
   * up to date by the journal statement), in one transaction.
   */
  public Future<Long> storeTrades(
      ImportRecord record,
      String source,
      List<io.greenpledge.market.Tick> ticks,
      AuditLog.Actor actor) {
    return recorded(
        record,
        source,
        actor,
        (connection, id) -> {
          Future<Void> written = Future.succeededFuture();
          for (int from = 0; from < ticks.size(); from += TRADES_PER_STATEMENT) {
            List<io.greenpledge.market.Tick> chunk =
                ticks.subList(from, Math.min(ticks.size(), from + TRADES_PER_STATEMENT));
            written = written.compose(v -> TickJournal.store(connection, chunk));
          }
          return written;
        });
  }

  private static Future<Void> write(
      SqlConnection connection, long importId, String instrument, List<ImportedBar> bars) {
    if (bars.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = bars.size();
    LocalDate[] days = new LocalDate[n];
    BigDecimal[] open = new BigDecimal[n];
    OffsetDateTime[] openAt = new OffsetDateTime[n];
    BigDecimal[] high = new BigDecimal[n];
    BigDecimal[] low = new BigDecimal[n];
    BigDecimal[] close = new BigDecimal[n];
    OffsetDateTime[] closeAt = new OffsetDateTime[n];
    BigDecimal[] volume = new BigDecimal[n];
    BigDecimal[] amount = new BigDecimal[n];
    for (int i = 0; i < n; i++) {
      ImportedBar bar = bars.get(i);
      days[i] = bar.day();
      open[i] = bar.open();
      openAt[i] =
          bar.day().atTime(TradingCalendar.OPEN).atZone(TradingCalendar.ZONE).toOffsetDateTime();
      high[i] = bar.high();
      low[i] = bar.low();
      close[i] = bar.close();
      closeAt[i] =
          bar.day().atTime(TradingCalendar.CLOSE).atZone(TradingCalendar.ZONE).toOffsetDateTime();
      volume[i] = bar.volume();
      amount[i] = bar.amount();
    }
    return connection
        .preparedQuery(UPSERT)
        .execute(
            Tuple.tuple()
                .addString(instrument)
                .addLong(importId)
                .addValue(days)
                .addValue(open)
                .addValue(openAt)
                .addValue(high)
                .addValue(low)
                .addValue(close)
                .addValue(closeAt)
                .addValue(volume)
                .addValue(amount))
        .mapEmpty();
  }

  /**
   * One import in one transaction: its record, what it writes (given the new import's id), and its
   * audit entry.
   */
  private Future<Long> recorded(
      ImportRecord record,
      String tradeSource,
      AuditLog.Actor actor,
      java.util.function.BiFunction<SqlConnection, Long, Future<Void>> writes) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(INSERT_IMPORT)
                .execute(
                    Tuple.tuple()
                        .addString(record.fileName())
                        .addString(record.sha256())
                        .addString(record.layout())
                        .addArrayOfString(record.instruments().toArray(String[]::new))
                        .addLocalDate(record.firstDay())
                        .addLocalDate(record.lastDay())
                        .addInteger(record.daysWritten())
                        .addInteger(record.daysSame())
                        .addInteger(record.refused())
                        .addString(record.importedBy())
                        .addString(tradeSource))
                .compose(
                    rows -> {
                      long id = rows.iterator().next().getLong("id");
                      return writes
                          .apply(connection, id)
                          .compose(v -> AuditLog.append(connection, actor, importEntry(id, record)))
                          .map(id);
                    }));
  }

  private static final int TRADES_PER_STATEMENT = 5000;

  /** The days of a trades import are rebuilt from the trades that remain. */
  private static final String REBUILD_DAYS =
      """
      INSERT INTO daily_bars (instrument, day, open, open_at, high, low, close, close_at, volume, notional, trades)
      SELECT t.instrument, d.day,
             (array_agg(t.price ORDER BY t.ts, t.seq))[1], min(t.ts), max(t.price), min(t.price),
             (array_agg(t.price ORDER BY t.ts DESC, t.seq DESC))[1], max(t.ts),
             sum(t.quantity), sum(t.price * t.quantity), count(*)
      FROM unnest($1::text[], $2::date[]) AS d(instrument, day)
      JOIN ticks t ON t.instrument = d.instrument
                  AND t.ts >= (d.day::timestamp AT TIME ZONE 'Asia/Shanghai')
                  AND t.ts < ((d.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      GROUP BY t.instrument, d.day
      """;

  private Future<Integer> undoTrades(SqlConnection connection, String source) {
    return connection
        .preparedQuery(
            """
            DELETE FROM ticks WHERE source = $1
            RETURNING instrument, (ts AT TIME ZONE 'Asia/Shanghai')::date AS day
            """)
        .execute(Tuple.of(source))
        .compose(
            deleted -> {
              java.util.Set<String> seen = new java.util.LinkedHashSet<>();
              List<String> instruments = new ArrayList<>();
              List<LocalDate> days = new ArrayList<>();
              deleted.forEach(
                  row -> {
                    if (seen.add(row.getString("instrument") + row.getLocalDate("day"))) {
                      instruments.add(row.getString("instrument"));
                      days.add(row.getLocalDate("day"));
                    }
                  });
              Tuple keys =
                  Tuple.tuple()
                      .addValue(instruments.toArray(String[]::new))
                      .addValue(days.toArray(LocalDate[]::new));
              return connection
                  .preparedQuery(
                      """
                  DELETE FROM daily_bars b USING unnest($1::text[], $2::date[]) AS d(instrument, day)
                  WHERE b.instrument = d.instrument AND b.day = d.day AND b.import_id IS NULL
                  """)
                  .execute(keys)
                  .compose(v -> connection.preparedQuery(REBUILD_DAYS).execute(keys))
                  .map(deleted.rowCount());
            });
  }

  public Future<List<ImportRecord>> list() {
    return pool.query("SELECT * FROM history_imports ORDER BY id")
        .execute()
        .map(
            rows -> {
              List<ImportRecord> records = new ArrayList<>();
              rows.forEach(row -> records.add(record(row)));
              return records;
            });
  }

  /**
   * Removes the days an import wrote that no later import has rewritten, and marks it undone.
   * Answers the days removed; empty when there is no such import or it was undone already.
   */
  /** An import as its audit entry records it. */
  private static AuditLog.Draft importEntry(long id, ImportRecord r) {
    return new AuditLog.Draft(
        null,
        "history.import",
        "history-import",
        Long.toString(id),
        null,
        new io.vertx.core.json.JsonObject()
            .put("file", r.fileName())
            .put("sha256", r.sha256())
            .put("layout", r.layout())
            .put("instruments", new io.vertx.core.json.JsonArray(r.instruments()))
            .put("firstDay", r.firstDay() == null ? null : r.firstDay().toString())
            .put("lastDay", r.lastDay() == null ? null : r.lastDay().toString())
            .put("written", r.daysWritten())
            .put("unchanged", r.daysSame())
            .put("refused", r.refused())
            .encode());
  }

  public Future<Optional<Integer>> undo(long id, AuditLog.Actor actor) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(
                    "UPDATE history_imports SET undone_at = now() WHERE id = $1 AND undone_at IS NULL "
                        + "RETURNING trade_source")
                .execute(Tuple.of(id))
                .compose(
                    updated -> {
                      if (updated.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<Integer>empty());
                      }
                      String source = updated.iterator().next().getString("trade_source");
                      Future<Integer> removed =
                          source != null
                              ? undoTrades(connection, source)
                              : connection
                                  .preparedQuery("DELETE FROM daily_bars WHERE import_id = $1")
                                  .execute(Tuple.of(id))
                                  .map(deleted -> deleted.rowCount());
                      return removed.compose(
                          n ->
                              AuditLog.append(
                                      connection,
                                      actor,
                                      new AuditLog.Draft(
                                          null,
                                          "history.undo",
                                          "history-import",
                                          Long.toString(id),
                                          null,
                                          new io.vertx.core.json.JsonObject()
                                              .put("removed", n)
                                              .encode()))
                                  .map(entry -> Optional.of(n)));
                    }));
  }

  /** When the imports last changed (an import or an undo): a running gateway reloads after it. */
  public Future<Optional<Instant>> lastChange() {
    return pool.query(
            "SELECT max(greatest(imported_at, coalesce(undone_at, imported_at))) AS at FROM history_imports")
        .execute()
        .map(
            rows ->
                Optional.ofNullable(rows.iterator().next().getOffsetDateTime("at"))
                    .map(OffsetDateTime::toInstant));
  }

  private static ImportRecord record(Row row) {
    return new ImportRecord(
        row.getLong("id"),
        row.getString("file_name"),
        row.getString("file_sha256"),
        row.getString("layout"),
        List.of(row.getArrayOfStrings("instruments")),
        row.getLocalDate("first_day"),
        row.getLocalDate("last_day"),
        row.getInteger("days_written"),
        row.getInteger("days_same"),
        row.getInteger("refused"),
        row.getString("imported_by"),
        row.getOffsetDateTime("imported_at").toInstant(),
        Optional.ofNullable(row.getOffsetDateTime("undone_at")).map(OffsetDateTime::toInstant));
  }
}
