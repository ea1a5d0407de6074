package io.greenpledge.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal's ids against a real sequence, with the reserve's clock in the test's hand: a group
 * is answered from ids drawn ahead, in order, and ids held past their age are dropped, so the next
 * group's come from a draw made after everything stored meanwhile.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class JournalIdsIT {

  private static Future<Long> nextval(Pool pool) {
    return pool.query("SELECT nextval('ticks_id_seq') AS id")
        .execute()
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  @Test
  @DisplayName(
      "a group takes ids drawn ahead, ascending in the order asked; ids older than a second are"
          + " dropped and drawn again")
  void idsComeFromAReserveNoOlderThanItsAge(Vertx vertx) throws Exception {
    Pool pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(TestDatabase.freshUrl()))
            .using(vertx)
            .build();
    try {
      Migrations.load().apply(pool).await(30, TimeUnit.SECONDS);
      AtomicLong clock = new AtomicLong();
      JournalIds ids = new JournalIds(pool, clock::get);
      List<Long> first = new ArrayList<>();
      List<Long> second = new ArrayList<>();
      List<Long> third = new ArrayList<>();
      long[] between = new long[1];
      Promise<Void> done = Promise.promise();
      vertx
          .getOrCreateContext()
          .runOnContext(
              v ->
                  ids.take(2)
                      .compose(
                          a -> {
                            first.addAll(Arrays.asList(a));
                            return nextval(pool); // a writer beside the journal (an import)
                          })
                      .compose(
                          x -> {
                            between[0] = x;
                            return ids.take(2);
                          })
                      .compose(
                          b -> {
                            second.addAll(Arrays.asList(b));
                            clock.addAndGet(JournalIds.MAX_AGE_NANOS + 1);
                            return ids.take(2);
                          })
                      .onSuccess(c -> third.addAll(Arrays.asList(c)))
                      .<Void>mapEmpty()
                      .onComplete(done));
      done.future().await(30, TimeUnit.SECONDS);
      List<Long> all = new ArrayList<>(first);
      all.addAll(second);
      all.addAll(third);
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i - 1) < all.get(i), "ascending in the order asked: " + all);
      }
      assertTrue(
          second.get(1) < between[0],
          "the second group is answered from the reserve drawn with the first, not by a draw of its"
              + " own: "
              + second
              + " against "
              + between[0]);
      assertTrue(
          third.get(0) > between[0],
          "past their age the held ids are dropped and the third group's drawn again: "
              + third
              + " against "
              + between[0]);
    } finally {
      pool.close();
    }
  }
}
