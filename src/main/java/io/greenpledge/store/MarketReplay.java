package io.greenpledge.store;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.InstrumentMarket;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TradingCalendar;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds an instrument's market from the journal as it stood when a given tick was applied: the
 * daily bars of the days before, then that day's ticks in journal order up to the tick itself. A
 * valuation's provenance names the tick, so its quote, and so the valuation, can be recomputed.
 */
public final class MarketReplay {

  private static final String TICK = "SELECT id, ts FROM ticks WHERE source = $1 AND seq = $2";
  private static final String BARS_BEFORE =
      """
      SELECT instrument, day, open, high, low, close, close_at, volume, notional
      FROM daily_bars WHERE instrument = $1 AND day < $2 AND day >= $3 ORDER BY day
      """;
  private static final String DAY_TICKS =
      """
      SELECT instrument, price, quantity, ts, source, seq FROM ticks
      WHERE instrument = $1 AND ts >= $2 AND id <= $3 ORDER BY id
      """;

  private final Pool pool;
  private final TradingCalendar calendar;

  public MarketReplay(Pool pool, TradingCalendar calendar) {
    this.pool = pool;
    this.calendar = calendar;
  }

  public Future<Quote> quoteAt(
      Instrument instrument, String tickSource, long tickSeq, MarkBasis basis, Instant at) {
    return pool.preparedQuery(TICK)
        .execute(Tuple.of(tickSource, tickSeq))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(
                    "tick " + tickSource + "/" + tickSeq + " is not in the journal");
              }
              long id = rows.iterator().next().getLong("id");
              Instant ts = rows.iterator().next().getOffsetDateTime("ts").toInstant();
              LocalDate day = calendar.tradingDay(ts);
              Instant dayStart = day.atStartOfDay(TradingCalendar.ZONE).toInstant();
              Future<List<DailyBar>> bars =
                  pool.preparedQuery(BARS_BEFORE)
                      .execute(Tuple.of(instrument.id(), day, calendar.tradingDaysBack(day, 60)))
                      .map(
                          result -> {
                            List<DailyBar> list = new ArrayList<>();
                            result.forEach(row -> list.add(MarketRepository.dailyBar(row)));
                            return list;
                          });
              Future<List<Tick>> ticks =
                  pool.preparedQuery(DAY_TICKS)
                      .execute(
                          Tuple.of(
                              instrument.id(), dayStart.atOffset(java.time.ZoneOffset.UTC), id))
                      .map(
                          result -> {
                            List<Tick> list = new ArrayList<>();
                            result.forEach(row -> list.add(MarketRepository.tick(row)));
                            return list;
                          });
              return Future.all(bars, ticks)
                  .map(
                      done -> {
                        InstrumentMarket market = new InstrumentMarket(instrument, calendar);
                        market.restore(bars.result(), null);
                        ticks.result().forEach(market::replay);
                        return market.quote(basis, at);
                      });
            });
  }
}
