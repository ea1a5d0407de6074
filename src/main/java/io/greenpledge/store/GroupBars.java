package io.greenpledge.store;

import io.greenpledge.market.Tick;
import io.greenpledge.market.TradingCalendar;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a group of ticks adds to each day's bar and each source's sequence, computed here from the
 * ticks as the journal stores them (four places, microseconds), as {@link TickJournal#ROLL}'s
 * parameters ({@link RollRows}): the same numbers the database computed over the rows it inserted,
 * which was a quarter of the journal statement's time. Only for a group whose every tick the
 * statement inserted: a group partly stored before has its bars computed by the database, over what
 * it inserted. Bars and sources come sorted by key, so groups (of one node or of several) lock
 * those rows in one order.
 */
final class GroupBars {

  private record Key(String instrument, LocalDate day) {}

  private static final Comparator<Key> BY_KEY =
      Comparator.comparing(Key::instrument).thenComparing(Key::day);

  private GroupBars() {}

  /** Empty when a price or quantity is not a finite number: then the database computes them. */
  static Optional<Tuple> of(List<Tick> ticks) {
    Map<Key, Day> bars = new TreeMap<>(BY_KEY);
    Map<String, Source> sources = new TreeMap<>();
    for (Tick tick : ticks) {
      if (!Double.isFinite(tick.price()) || !Double.isFinite(tick.quantity())) {
        return Optional.empty();
      }
      Instant ts = tick.ts().truncatedTo(ChronoUnit.MICROS);
      BigDecimal price = JournalDecimals.stored(tick.price());
      BigDecimal quantity = JournalDecimals.stored(tick.quantity());
      bars.computeIfAbsent(
              new Key(tick.instrument(), LocalDate.ofInstant(ts, TradingCalendar.ZONE)),
              k -> new Day(price, ts, tick.seq()))
          .add(price, quantity, ts, tick.seq());
      sources.computeIfAbsent(tick.source(), s -> new Source(tick.seq(), ts)).add(tick.seq(), ts);
    }
    RollRows rows = new RollRows();
    bars.forEach(
        (key, day) ->
            rows.add(
                new RollRows.Bar(
                    key.instrument(),
                    key.day(),
                    Numeric.create(day.open),
                    utc(day.openAt),
                    Numeric.create(day.high),
                    Numeric.create(day.low),
                    Numeric.create(day.close),
                    utc(day.closeAt),
                    Numeric.create(day.volume),
                    Numeric.create(day.notional),
                    day.trades)));
    sources.forEach(
        (name, source) -> rows.add(new RollRows.Source(name, source.lastSeq, utc(source.lastTs))));
    return Optional.of(rows.tuple());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A day's bar of one instrument: open and close by (time, seq), as the statement ordered them.
   */
  private static final class Day {
    BigDecimal open;
    Instant openAt;
    long openSeq;
    BigDecimal close;
    Instant closeAt;
    long closeSeq;
    BigDecimal high;
    BigDecimal low;
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal notional = BigDecimal.ZERO;
    long trades;

    Day(BigDecimal first, Instant ts, long seq) {
      open = close = high = low = first;
      openAt = closeAt = ts;
      openSeq = closeSeq = seq;
    }

    void add(BigDecimal price, BigDecimal quantity, Instant ts, long seq) {
      int before = ts.compareTo(openAt);
      if (before < 0 || (before == 0 && seq < openSeq)) {
        open = price;
        openAt = ts;
        openSeq = seq;
      }
      int after = ts.compareTo(closeAt);
      if (after > 0 || (after == 0 && seq > closeSeq)) {
        close = price;
        closeAt = ts;
        closeSeq = seq;
      }
      high = high.max(price);
      low = low.min(price);
      volume = volume.add(quantity);
      notional = notional.add(price.multiply(quantity));
      trades++;
    }
  }

  /** A source's last sequence and its latest time in the group. */
  private static final class Source {
    long lastSeq;
    Instant lastTs;

    Source(long seq, Instant ts) {
      lastSeq = seq;
      lastTs = ts;
    }

    void add(long seq, Instant ts) {
      lastSeq = Math.max(lastSeq, seq);
      if (ts.isAfter(lastTs)) {
        lastTs = ts;
      }
    }
  }
}
