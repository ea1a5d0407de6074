package io.greenpledge.store;

import io.greenpledge.market.Tick;
import io.greenpledge.ops.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted ticks to PostgreSQL in batches, off the hot path: ticks are queued in memory and
 * flushed every interval (or at once when a batch is full) with one statement of arrays, which also
 * rolls the daily bars and the per-source sequence. One write is in flight at a time, so the journal
 * keeps arrival order. A failed write stays queued and is retried; callers that need durability wait
 * on the future returned by {@link #append}.
 *
 * <p>Confined to the event loop of the verticle that owns it.
 */
public final class TickJournal {

  private static final Logger LOG = LoggerFactory.getLogger(TickJournal.class);

  static final String INSERT = """
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
        SELECT instrument, (ts AT TIME ZONE 'Asia/Shanghai')::date,
               (array_agg(price ORDER BY ts, seq))[1], min(ts), max(price), min(price),
               (array_agg(price ORDER BY ts DESC, seq DESC))[1], max(ts),
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

  private record Pending(Tick tick, Promise<Void> written) {}

  private final Vertx vertx;
  private final Metrics metrics;
  private final Pool pool;
  private final Duration flushInterval;
  private final int maxBatch;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean writing;
  private long timerId = -1;
  private volatile long oldestQueuedAt;
  private volatile int queuedCount;
  private Promise<Void> drained;

  public TickJournal(Vertx vertx, Pool pool, Duration flushInterval, int maxBatch, Metrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.pool = pool;
    this.flushInterval = flushInterval;
    this.maxBatch = maxBatch;
  }

  public void start() {
    timerId = vertx.setPeriodic(flushInterval.toMillis(), id -> flush());
  }

  /** Queues ticks; the future completes once all of them are in the journal. */
  public Future<Void> append(List<Tick> ticks) {
    if (ticks.isEmpty()) {
      return Future.succeededFuture();
    }
    if (queue.isEmpty()) {
      oldestQueuedAt = System.nanoTime();
    }
    List<Future<Void>> futures = new ArrayList<>(ticks.size());
    for (Tick tick : ticks) {
      Promise<Void> promise = Promise.promise();
      queue.add(new Pending(tick, promise));
      futures.add(promise.future());
    }
    queuedCount = queue.size();
    if (queue.size() >= maxBatch) {
      flush();
    }
    return Future.all(futures).mapEmpty();
  }

  /** Writes everything queued, then stops the timer. */
  public Future<Void> close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (queue.isEmpty() && !writing) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    flush();
    return drained.future();
  }

  /** Ticks waiting for the journal; safe to read from any thread. */
  public int queued() {
    return queuedCount;
  }

  /** How long the oldest queued tick has waited, in milliseconds; 0 when nothing waits. */
  public long lagMillis() {
    return queuedCount == 0 ? 0 : (System.nanoTime() - oldestQueuedAt) / 1_000_000;
  }



  private void flush() {
    if (writing || queue.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    queuedCount = queue.size() + batch.size();
    writing = true;
    pool.preparedQuery(INSERT).execute(arrays(batch.stream().map(Pending::tick).toList()))
        .onComplete(result -> {
          writing = false;
          if (result.succeeded()) {
            metrics.journalBatch(batch.size());
            batch.forEach(p -> p.written().complete());
            if (!queue.isEmpty()) {
              oldestQueuedAt = System.nanoTime();
            }
          } else {
            metrics.journalFailures().increment();
            LOG.warn("journal write of {} ticks failed, will retry: {}", batch.size(), result.cause().getMessage());
            for (int i = batch.size() - 1; i >= 0; i--) {
              queue.addFirst(batch.get(i));
            }
          }
          queuedCount = queue.size();
          afterWrite(result.succeeded());
        });
  }

  private void afterWrite(boolean succeeded) {
    if (drained != null) {
      if (queue.isEmpty()) {
        drained.tryComplete();
      } else if (succeeded) {
        flush();
      } else {
        vertx.setTimer(flushInterval.toMillis(), id -> flush());
      }
    } else if (succeeded && queue.size() >= maxBatch) {
      flush();
    }
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
