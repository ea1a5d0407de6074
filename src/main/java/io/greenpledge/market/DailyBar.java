package io.greenpledge.market;

import java.time.Instant;
import java.time.LocalDate;

/** Open, high, low, close, volume and traded notional of one instrument on one trading day. */
public record DailyBar(
    LocalDate day,
    double open,
    double high,
    double low,
    double close,
    Instant closeAt,
    double volume,
    double notional) {

  public static DailyBar first(LocalDate day, Tick tick) {
    return new DailyBar(
        day,
        tick.price(),
        tick.price(),
        tick.price(),
        tick.price(),
        tick.ts(),
        tick.quantity(),
        tick.price() * tick.quantity());
  }

  /** This bar with one more trade; a trade older than the close does not move the close. */
  public DailyBar with(Tick tick) {
    boolean latest = !tick.ts().isBefore(closeAt);
    return new DailyBar(
        day,
        open,
        Math.max(high, tick.price()),
        Math.min(low, tick.price()),
        latest ? tick.price() : close,
        latest ? tick.ts() : closeAt,
        volume + tick.quantity(),
        notional + tick.price() * tick.quantity());
  }
}
