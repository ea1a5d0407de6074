package io.greenpledge.store;

import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a group adds to each day's bar and each source's sequence, whoever computed it (the gateway
 * from the ticks, or the database over the rows it inserted), as the fourteen arrays {@link
 * TickJournal#ROLL} takes.
 */
final class RollRows {

  record Bar(
      String instrument,
      LocalDate day,
      Numeric open,
      OffsetDateTime openAt,
      Numeric high,
      Numeric low,
      Numeric close,
      OffsetDateTime closeAt,
      Numeric volume,
      Numeric notional,
      long trades) {}

  record Source(String name, long lastSeq, OffsetDateTime lastTs) {}

  private final List<Bar> bars = new ArrayList<>();
  private final List<Source> sources = new ArrayList<>();

  void add(Bar bar) {
    bars.add(bar);
  }

  void add(Source source) {
    sources.add(source);
  }

  /** {@link TickJournal#ROLL}'s parameters; null when the group added nothing. */
  Tuple tuple() {
    if (bars.isEmpty() && sources.isEmpty()) {
      return null;
    }
    return Tuple.tuple(
        List.of(
            bars.stream().map(Bar::instrument).toArray(String[]::new),
            bars.stream().map(Bar::day).toArray(LocalDate[]::new),
            bars.stream().map(Bar::open).toArray(Numeric[]::new),
            bars.stream().map(Bar::openAt).toArray(OffsetDateTime[]::new),
            bars.stream().map(Bar::high).toArray(Numeric[]::new),
            bars.stream().map(Bar::low).toArray(Numeric[]::new),
            bars.stream().map(Bar::close).toArray(Numeric[]::new),
            bars.stream().map(Bar::closeAt).toArray(OffsetDateTime[]::new),
            bars.stream().map(Bar::volume).toArray(Numeric[]::new),
            bars.stream().map(Bar::notional).toArray(Numeric[]::new),
            bars.stream().map(Bar::trades).toArray(Long[]::new),
            sources.stream().map(Source::name).toArray(String[]::new),
            sources.stream().map(Source::lastSeq).toArray(Long[]::new),
            sources.stream().map(Source::lastTs).toArray(OffsetDateTime[]::new)));
  }
}
