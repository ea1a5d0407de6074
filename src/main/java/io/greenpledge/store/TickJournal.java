package io.greenpledge.store;

import io.greenpledge.market.Tick;
import io.greenpledge.ops.LogLimiter;
import io.greenpledge.ops.Metrics;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes groups of accepted ticks to PostgreSQL, one statement of arrays per group, which also
 * rolls the daily bars and the per-source sequence. The market verticle decides what a group is and
 * keeps one write in flight (group commit); this class only writes and tells what was refused.
 *
 * <p>The statement is the ingest path's limit (the database's one busy backend), so its per-tick
 * work is kept small: the bars group by instrument in the "C" collation and take the open and the
 * close from one ordered aggregate (one sort of the group, not three), and the instrument is
 * checked once per statement (migration V21) rather than by a foreign-key lookup per tick.
 */
public final class TickJournal {

  private static final Logger LOG = LoggerFactory.getLogger(TickJournal.class);

  static final String INSERT =
      """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::timestamptz[], $5::text[], $6::int8[])
          AS u(instrument, price, quantity, ts, source, seq)
      ), inserted AS (
        INSERT INTO ticks (instrument, price, quantity, ts, source, seq)
        SELECT instrument, price::numeric(18, 4), quantity::numeric(20, 4), ts, source, seq FROM input
        ON CONFLICT (source, seq) DO NOTHING
        RETURNING instrument, price, quantity, ts, source, seq
      ), bars AS (
        INSERT INTO daily_bars AS b (instrument, day, open, open_at, high, low, close, close_at, volume, notional, trades)
        SELECT instrument COLLATE "C", (ts AT TIME ZONE 'Asia/Shanghai')::date,
               (array_agg(price ORDER BY ts, seq))[1], min(ts), max(price), min(price),
               (array_agg(price ORDER BY ts, seq))[count(*)], max(ts),
               sum(quantity), sum(price * quantity), count(*)
        FROM inserted GROUP BY 1, 2
        ON CONFLICT (instrument, day) DO UPDATE SET
          open = CASE WHEN excluded.open_at < b.open_at THEN excluded.open ELSE b.open END,
          open_at = least(b.open_at, excluded.open_at),
          high = greatest(b.high, excluded.high),
          low = least(b.low, excluded.low),
          close = CASE WHEN excluded.close_at >= b.close_at THEN excluded.close ELSE b.close END,
          close_at = greatest(b.close_at, excluded.close_at),
          volume = b.volume + excluded.volume,
          notional = b.notional + excluded.notional,
          trades = b.trades + excluded.trades
        RETURNING 1
      )
      INSERT INTO tick_sources AS s (source, last_seq, last_ts)
      SELECT source, max(seq), max(ts) FROM inserted GROUP BY source
      ON CONFLICT (source) DO UPDATE SET
        last_seq = greatest(s.last_seq, excluded.last_seq),
        last_ts = greatest(s.last_ts, excluded.last_ts)
      """;

  private final Pool pool;
  private final Metrics metrics;
  private final LogLimiter refusals = new LogLimiter(Duration.ofMinutes(1));

  public TickJournal(Pool pool, Metrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  /**
   * Writes one group of ticks in one statement and answers the ticks the database refused as data
   * (a value it cannot hold): those are isolated by halving the group, so one bad row never holds
   * back the others. Writing is idempotent by {@code (source, seq)}, so the halves may repeat rows
   * already stored. Any other failure (the database unreachable) fails the future: nothing of the
   * group may then count as stored.
   */
  public Future<List<Tick>> write(List<Tick> ticks) {
    if (ticks.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(INSERT)
        .execute(arrays(ticks))
        .map(
            rows -> {
              metrics.journalBatch(ticks.size());
              return List.<Tick>of();
            })
        .recover(e -> isDataError(e) ? isolate(ticks, e) : failed(e));
  }

  private Future<List<Tick>> isolate(List<Tick> ticks, Throwable cause) {
    if (ticks.size() == 1) {
      metrics.journalRefused().increment();
      refusals.warn(
          LOG,
          "journal refused a tick of {} seq {} as data ({}); it is rejected, the rest stored",
          ticks.get(0).source(),
          ticks.get(0).seq(),
          cause.getMessage());
      return Future.succeededFuture(ticks);
    }
    int half = ticks.size() / 2;
    return write(ticks.subList(0, half))
        .compose(
            left ->
                write(ticks.subList(half, ticks.size()))
                    .map(
                        right -> {
                          List<Tick> refused = new ArrayList<>(left);
                          refused.addAll(right);
                          return refused;
                        }));
  }

  private Future<List<Tick>> failed(Throwable e) {
    metrics.journalFailures().increment();
    return Future.failedFuture(e);
  }

  /** SQLSTATE classes 22 (data exception) and 23 (integrity violation): the row, not the server. */
  static boolean isDataError(Throwable e) {
    return e instanceof PgException pg
        && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  /** The ticks as the six arrays {@link #INSERT} takes. */
  static Tuple arrays(List<Tick> ticks) {
    int n = ticks.size();
    String[] instruments = new String[n];
    Double[] prices = new Double[n];
    Double[] quantities = new Double[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] sources = new String[n];
    Long[] seqs = new Long[n];
    for (int i = 0; i < n; i++) {
      Tick tick = ticks.get(i);
      instruments[i] = tick.instrument();
      prices[i] = tick.price();
      quantities[i] = tick.quantity();
      times[i] = tick.ts().atOffset(ZoneOffset.UTC);
      sources[i] = tick.source();
      seqs[i] = tick.seq();
    }
    return Tuple.of(instruments, prices, quantities, times, sources, seqs);
  }
}
