package io.greenpledge.store;

import io.greenpledge.market.Tick;
import io.greenpledge.ops.LogLimiter;
import io.greenpledge.ops.Metrics;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes groups of accepted ticks to PostgreSQL and rolls the daily bars and the per-source
 * sequence with them. The market verticle decides what a group is, how many are written side by
 * side and in which order they commit (group commit); this class only writes, commits or takes
 * back, and tells what was refused.
 *
 * <p>A group is two statements in one transaction. {@link #JOURNAL} inserts the ticks, touching no
 * row another group touches, so groups run it side by side. {@link #ROLL} folds what the group adds
 * to each day's bar and each source's sequence into {@code daily_bars} and {@code tick_sources},
 * the rows every group shares; it runs when the group commits, after the groups judged before it
 * have committed, so groups never wait on each other's locks. Those aggregates are computed here
 * ({@link GroupBars}) from the ticks as stored; when a tick was stored before (a resend: the
 * journal's key refuses it), the group is taken back and written with {@link #JOURNAL_AND_BARS},
 * which skips the stored ticks and answers the aggregates of the rows it inserted as PostgreSQL
 * computed them. Both are exact decimals.
 *
 * <p>A group's ids (the journal's order) come from {@link JournalIds} when it is judged, not from
 * its statement as it runs, so groups written side by side keep the order judged.
 *
 * <p>The journal statement is the ingest path's limit (one backend, one core), so its per-tick work
 * is kept small: a plain insert, prices and quantities arriving as the decimals stored ({@link
 * JournalDecimals}), no aggregate, and the instrument checked once per statement (migration V21)
 * rather than by a foreign-key lookup per tick.
 */
public final class TickJournal {

  private static final Logger LOG = LoggerFactory.getLogger(TickJournal.class);

  /**
   * The ticks, every one new. A plain insert: {@code ON CONFLICT} would probe the unique index
   * before each row and confirm each speculative insertion, about a quarter of the statement.
   */
  static final String JOURNAL =
      """
      INSERT INTO ticks (id, instrument, price, quantity, ts, source, seq)
      SELECT id, instrument, price::numeric(18, 4), quantity::numeric(20, 4), ts, source, seq
      FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int8[],
                  $7::int8[])
        AS u(instrument, price, quantity, ts, source, seq, id)
      """;

  /** SQLSTATE of a tick whose {@code (source, seq)} is stored already: the journal's one key. */
  private static final String STORED_BEFORE = "23505";

  /**
   * The ticks, and what the rows inserted add to each day's bar and each source's sequence: for a
   * group some of whose ticks were stored before, and for an import or the demo's seed. The bars
   * group by instrument in the "C" collation and take the open and the close from one ordered
   * aggregate (one sort, not three).
   */
  static final String JOURNAL_AND_BARS =
      """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int8[],
                             $7::int8[])
          AS u(instrument, price, quantity, ts, source, seq, id)
      ), inserted AS (
        INSERT INTO ticks (id, instrument, price, quantity, ts, source, seq)
        SELECT id, instrument, price::numeric(18, 4), quantity::numeric(20, 4), ts, source, seq FROM input
        ON CONFLICT (source, seq) DO NOTHING
        RETURNING instrument, price, quantity, ts, source, seq
      )
      SELECT instrument COLLATE "C" AS key, (ts AT TIME ZONE 'Asia/Shanghai')::date AS day,
             (array_agg(price ORDER BY ts, seq))[1] AS open, min(ts) AS open_at,
             max(price) AS high, min(price) AS low,
             (array_agg(price ORDER BY ts, seq))[count(*)] AS close, max(ts) AS close_at,
             sum(quantity) AS volume, sum(price * quantity) AS notional, count(*) AS trades,
             NULL::bigint AS last_seq
      FROM inserted GROUP BY 1, 2
      UNION ALL
      SELECT source COLLATE "C", NULL, NULL, NULL, NULL, NULL, NULL, max(ts), NULL, NULL, NULL, max(seq)
      FROM inserted GROUP BY 1
      """;

  /** Folds a group's aggregates into the shared rows: the day's bars, the sources' sequences. */
  static final String ROLL =
      """
      WITH bars AS (
        INSERT INTO daily_bars AS b (instrument, day, open, open_at, high, low, close, close_at, volume, notional, trades)
        SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[], $4::timestamptz[], $5::numeric[],
                             $6::numeric[], $7::numeric[], $8::timestamptz[], $9::numeric[],
                             $10::numeric[], $11::int8[])
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
      SELECT * FROM unnest($12::text[], $13::int8[], $14::timestamptz[])
      ON CONFLICT (source) DO UPDATE SET
        last_seq = greatest(s.last_seq, excluded.last_seq),
        last_ts = greatest(s.last_ts, excluded.last_ts)
      """;

  private final Pool pool;
  private final Metrics metrics;
  private final LogLimiter refusals = new LogLimiter(Duration.ofMinutes(1));
  private final JournalIds ids;

  public TickJournal(Pool pool, Metrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
    this.ids = new JournalIds(pool);
  }

  /**
   * Writes one group of ticks in one transaction and answers the ticks the database refused as data
   * (a value it cannot hold): those are isolated by halving the group, so one bad row never holds
   * back the others. Writing is idempotent by {@code (source, seq)}, so the halves may repeat rows
   * already stored. Any other failure (the database unreachable) fails the future: nothing of the
   * group may then count as stored.
   */
  public Future<List<Tick>> write(List<Tick> ticks) {
    if (ticks.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return begin(ticks)
        .compose(Pending::commit)
        .<List<Tick>>map(v -> List.of())
        .recover(e -> isDataError(e) ? isolate(ticks, e) : Future.failedFuture(e));
  }

  /**
   * Runs one group's {@link #JOURNAL} statement in a transaction of its own and leaves it open, so
   * groups can be written side by side and still commit in the order they were judged. Fails, with
   * the transaction rolled back and its connection returned, when the statement fails: a data error
   * (see {@link #isDataError}) is then for {@link #write} to isolate.
   */
  public Future<Pending> begin(List<Tick> ticks) {
    return ids.take(ticks.size())
        .compose(
            drawn ->
                pool.getConnection()
                    .compose(
                        connection ->
                            begin(connection, ticks, drawn).onFailure(e -> connection.close())))
        .recover(this::counted);
  }

  /**
   * {@link #JOURNAL}, with the group's bars and sources computed here ({@link GroupBars}); when a
   * tick of the group was stored before (a resend), the group is taken back and written again by
   * {@link #JOURNAL_AND_BARS}, which skips what is stored and aggregates what it inserts.
   */
  private Future<Pending> begin(SqlConnection connection, List<Tick> ticks, Long[] ids) {
    Tuple arrays = arrays(ticks, ids);
    Optional<Tuple> computed = GroupBars.of(ticks);
    if (computed.isEmpty()) {
      return beginWithBars(connection, ticks.size(), arrays);
    }
    return connection
        .begin()
        .compose(
            transaction ->
                connection
                    .preparedQuery(JOURNAL)
                    .execute(arrays)
                    .map(rows -> new Pending(connection, transaction, ticks.size(), computed.get()))
                    .recover(
                        e ->
                            e instanceof PgException pg && STORED_BEFORE.equals(pg.getSqlState())
                                ? transaction
                                    .rollback()
                                    .compose(v -> beginWithBars(connection, ticks.size(), arrays))
                                : undo(transaction, e)));
  }

  private Future<Pending> beginWithBars(SqlConnection connection, int ticks, Tuple arrays) {
    return connection
        .begin()
        .compose(
            transaction ->
                connection
                    .preparedQuery(JOURNAL_AND_BARS)
                    .execute(arrays)
                    .map(rows -> new Pending(connection, transaction, ticks, rolled(rows)))
                    .recover(e -> undo(transaction, e)));
  }

  /**
   * Journals ticks within the caller's transaction, both statements (an import, the demo's seed).
   */
  static Future<Void> store(SqlConnection connection, List<Tick> ticks) {
    return connection
        .preparedQuery(JournalIds.DRAW)
        .execute(Tuple.of(ticks.size()))
        .compose(
            drawn ->
                connection
                    .preparedQuery(JOURNAL_AND_BARS)
                    .execute(arrays(ticks, JournalIds.of(drawn))))
        .compose(rows -> roll(connection, rolled(rows)));
  }

  /** A group whose ticks are written in a transaction still open: to be committed or taken back. */
  public final class Pending {
    private final SqlConnection connection;
    private final Transaction transaction;
    private final int ticks;
    private final Tuple aggregates;

    private Pending(
        SqlConnection connection, Transaction transaction, int ticks, Tuple aggregates) {
      this.connection = connection;
      this.transaction = transaction;
      this.ticks = ticks;
      this.aggregates = aggregates;
    }

    /**
     * Rolls the group's bars and sequences and commits; call it only once every group judged before
     * this one has committed. The group counts as stored only once this succeeds.
     */
    public Future<Void> commit() {
      return roll(connection, aggregates)
          .recover(e -> undo(transaction, e))
          .compose(v -> transaction.commit())
          .onSuccess(v -> metrics.journalBatch(ticks))
          .recover(TickJournal.this::counted)
          .eventually(connection::close);
    }

    /** Takes the group back (one judged on top of a group that failed is judged again). */
    public Future<Void> rollback() {
      return transaction.rollback().eventually(connection::close);
    }
  }

  private static Future<Void> roll(SqlConnection connection, Tuple aggregates) {
    if (aggregates == null) {
      return Future.succeededFuture(); // nothing inserted: every tick was stored before
    }
    return connection.preparedQuery(ROLL).execute(aggregates).mapEmpty();
  }

  /** {@link #JOURNAL_AND_BARS}'s answer as {@link #ROLL}'s parameters; null when empty. */
  private static Tuple rolled(RowSet<Row> rows) {
    RollRows rolled = new RollRows();
    for (Row row : rows) {
      if (row.getLocalDate("day") == null) {
        rolled.add(
            new RollRows.Source(
                row.getString("key"), row.getLong("last_seq"), row.getOffsetDateTime("close_at")));
      } else {
        rolled.add(
            new RollRows.Bar(
                row.getString("key"),
                row.getLocalDate("day"),
                row.get(Numeric.class, "open"),
                row.getOffsetDateTime("open_at"),
                row.get(Numeric.class, "high"),
                row.get(Numeric.class, "low"),
                row.get(Numeric.class, "close"),
                row.getOffsetDateTime("close_at"),
                row.get(Numeric.class, "volume"),
                row.get(Numeric.class, "notional"),
                row.getLong("trades")));
      }
    }
    return rolled.tuple();
  }

  /** A statement failed inside the transaction: take it back, return the failure. */
  private static <T> Future<T> undo(Transaction transaction, Throwable cause) {
    return transaction.rollback().transform(r -> Future.failedFuture(cause));
  }

  /** A failure that is not the data's counts against the journal (data errors are isolated). */
  private <T> Future<T> counted(Throwable e) {
    if (!isDataError(e)) {
      metrics.journalFailures().increment();
    }
    return Future.failedFuture(e);
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

  /** SQLSTATE classes 22 (data exception) and 23 (integrity violation): the row, not the server. */
  public static boolean isDataError(Throwable e) {
    return e instanceof PgException pg
        && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  /** The ticks and their ids as the seven arrays {@link #JOURNAL} takes. */
  static Tuple arrays(List<Tick> ticks, Long[] ids) {
    int n = ticks.size();
    String[] instruments = new String[n];
    String[] prices = new String[n];
    String[] quantities = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] sources = new String[n];
    Long[] seqs = new Long[n];
    for (int i = 0; i < n; i++) {
      Tick tick = ticks.get(i);
      instruments[i] = tick.instrument();
      prices[i] = JournalDecimals.text(tick.price());
      quantities[i] = JournalDecimals.text(tick.quantity());
      times[i] = tick.ts().atOffset(ZoneOffset.UTC);
      sources[i] = tick.source();
      seqs[i] = tick.seq();
    }
    return Tuple.of(instruments, prices, quantities, times, sources, seqs, ids);
  }
}
