package io.greenpledge.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The journal's ids for the groups the market judges, handed out in the order asked (the order
 * judged) and ascending, drawn from the ticks' sequence. Groups written side by side would
 * interleave their ids if their statements drew them, and the journal's order is what a valuation's
 * replay and the last trade at start-up read.
 *
 * <p>A draw is a round trip, and on a loaded machine a round trip per group costs the push path its
 * median; so ids are drawn ahead (up to four times the last group's size) and a group is answered
 * from that reserve without waiting. Ids held longer than {@link #MAX_AGE_NANOS} are dropped (even
 * while a draw is on its way), so a tick's id is never much older than the tick: in a cluster the
 * nodes' ids interleave in about the order they stored their ticks. After a failed draw nothing is
 * drawn ahead until a draw succeeds again (a database that is down is not asked in a loop). Call on
 * one context.
 */
final class JournalIds {

  static final String DRAW =
      """
      SELECT array_agg(id ORDER BY id) AS ids
      FROM (SELECT nextval('ticks_id_seq') AS id FROM generate_series(1, $1)) drawn
      """;

  static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int MIN_AHEAD = 64;
  private static final int MAX_AHEAD = 65_536;

  private final Pool pool;
  private final LongSupplier nanoClock;
  private final Deque<Asked> asked = new ArrayDeque<>();
  private final Deque<Long> reserve = new ArrayDeque<>();
  private long drawnAt;
  private boolean drawing;
  private boolean ahead = true;
  private int aheadCount = MIN_AHEAD;

  JournalIds(Pool pool) {
    this(pool, System::nanoTime);
  }

  JournalIds(Pool pool, LongSupplier nanoClock) {
    this.pool = pool;
    this.nanoClock = nanoClock;
  }

  /** {@code count} ids, after every call before this one has had its ids. */
  Future<Long[]> take(int count) {
    aheadCount = Math.max(MIN_AHEAD, Math.min(MAX_AHEAD, 2 * count));
    Promise<Long[]> ids = Promise.promise();
    asked.add(new Asked(count, ids));
    serve();
    return ids.future();
  }

  /** The ids a {@link #DRAW} answered (an import draws its own, on its own connection). */
  static Long[] of(RowSet<Row> drawn) {
    return drawn.iterator().next().getArrayOfLongs("ids");
  }

  /** Drops the ids held past their age (all of them: the oldest decide). */
  private void dropStale() {
    if (!reserve.isEmpty() && nanoClock.getAsLong() - drawnAt > MAX_AGE_NANOS) {
      reserve.clear();
    }
  }

  private void serve() {
    dropStale();
    while (!asked.isEmpty() && reserve.size() >= asked.peek().count()) {
      Asked first = asked.poll();
      Long[] ids = new Long[first.count()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = reserve.poll();
      }
      first.ids().complete(ids);
    }
    if (drawing) {
      return;
    }
    int missing = asked.stream().mapToInt(Asked::count).sum() - reserve.size();
    if (missing > 0) {
      draw(missing + aheadCount);
    } else if (ahead && reserve.size() < aheadCount) {
      draw(2 * aheadCount - reserve.size()); // a few groups' worth, not a round trip per group
    }
  }

  private void draw(int count) {
    drawing = true;
    pool.preparedQuery(DRAW)
        .execute(Tuple.of(count))
        .onComplete(
            drawn -> {
              drawing = false;
              ahead = drawn.succeeded();
              if (drawn.succeeded()) {
                dropStale(); // not joined to fresh ids, which would then be dropped with them
                if (reserve.isEmpty()) {
                  drawnAt = nanoClock.getAsLong(); // the age of the oldest id held
                }
                reserve.addAll(Arrays.asList(of(drawn.result())));
              } else {
                asked.forEach(waiting -> waiting.ids().fail(drawn.cause()));
                asked.clear();
              }
              serve();
            });
  }

  private record Asked(int count, Promise<Long[]> ids) {}
}
