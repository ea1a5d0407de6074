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
 * fourteen arrays: the same numbers the database computed over the rows it inserted, which was a
 * quarter of the journal statement's time. Only for a group whose every tick the statement
 * inserted: a group partly stored before has its bars computed by the database, over what it
 * inserted. Bars and sources come sorted by key, so groups (of one node or of several) lock those
 * rows in one order.
 */
final class GroupBars {

  private record Key(String instrument, LocalDate day) {}

  private static final Comparator<Key> BY_KEY =
      Comparator.comparing(Key::instrument).thenComparing(Key::day);

  private GroupBars() {}

  /** Empty when a price or quantity is not a finite number: then the database computes them. */
  static Optional<Tuple> of(List<Tick> ticks) {
    Map<Key, Bar> bars = new TreeMap<>(BY_KEY);
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
              k -> new Bar(price, ts, tick.seq()))
          .add(price, quantity, ts, tick.seq());
      sources.computeIfAbsent(tick.source(), s -> new Source(tick.seq(), ts)).add(tick.seq(), ts);
    }
    int n = bars.size();
    String[] instruments = new String[n];
    LocalDate[] days = new LocalDate[n];
    Numeric[] opens = new Numeric[n];
    OffsetDateTime[] openAts = new OffsetDateTime[n];
    Numeric[] highs = new Numeric[n];
    Numeric[] lows = new Numeric[n];
    Numeric[] closes = new Numeric[n];
    OffsetDateTime[] closeAts = new OffsetDateTime[n];
    Numeric[] volumes = new Numeric[n];
    Numeric[] notionals = new Numeric[n];
    Long[] trades = new Long[n];
    int i = 0;
    for (Map.Entry<Key, Bar> entry : bars.entrySet()) {
      Bar bar = entry.getValue();
      instruments[i] = entry.getKey().instrument();
      days[i] = entry.getKey().day();
      opens[i] = Numeric.create(bar.open);
      openAts[i] = utc(bar.openAt);
      highs[i] = Numeric.create(bar.high);
      lows[i] = Numeric.create(bar.low);
      closes[i] = Numeric.create(bar.close);
      closeAts[i] = utc(bar.closeAt);
      volumes[i] = Numeric.create(bar.volume);
      notionals[i] = Numeric.create(bar.notional);
      trades[i] = bar.trades;
      i++;
    }
    int m = sources.size();
    String[] names = new String[m];
    Long[] lastSeqs = new Long[m];
    OffsetDateTime[] lastTs = new OffsetDateTime[m];
    int j = 0;
    for (Map.Entry<String, Source> entry : sources.entrySet()) {
      names[j] = entry.getKey();
      lastSeqs[j] = entry.getValue().lastSeq;
      lastTs[j] = utc(entry.getValue().lastTs);
      j++;
    }
    return Optional.of(
        Tuple.tuple(
            List.of(
                instruments,
                days,
                opens,
                openAts,
                highs,
                lows,
                closes,
                closeAts,
                volumes,
                notionals,
                trades,
                names,
                lastSeqs,
                lastTs)));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A day's bar of one instrument: open and close by (time, seq), as the statement ordered them.
   */
  private static final class Bar {
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

    Bar(BigDecimal first, Instant ts, long seq) {
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
