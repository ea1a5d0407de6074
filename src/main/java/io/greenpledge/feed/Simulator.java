package io.greenpledge.feed;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibrated market simulator of every catalog instrument. Pure and deterministic: the same
 * seed and the same sequence of {@link #step} calls give the same ticks.
 */
public final class Simulator {

  public static final String SOURCE = "simulator";
  public static final String HISTORY_SOURCE = "simulator-history";

  private final TradingCalendar calendar;
  private final Map<String, PriceProcess> processes = new LinkedHashMap<>();
  private final Map<String, Instrument> instruments = new HashMap<>();
  private final Map<String, Double> previousClose = new HashMap<>();
  private final Map<String, LocalDate> day = new HashMap<>();
  private long seq;

  /**
   * Where an instrument's simulated path resumes: its last price and the close its limit band uses.
   */
  public record Start(double lastPrice, double previousClose) {}

  /**
   * @param starts per instrument, where to resume (e.g. from the journal); the reference price if
   *     absent
   * @param lastSeq the last seq this source wrote, so a restart continues the sequence
   */
  public Simulator(
      Instruments catalog,
      TradingCalendar calendar,
      long seed,
      Map<String, Start> starts,
      long lastSeq) {
    this.calendar = calendar;
    this.seq = lastSeq;
    double tradingSecondsPerDay = calendar.tradingDayLength().toSeconds();
    int index = 0;
    for (Instrument instrument : catalog.all()) {
      Start start =
          starts.getOrDefault(
              instrument.id(), new Start(instrument.referencePrice(), instrument.referencePrice()));
      double tradesPerDay = instrument.simulation().ticksPerSecond() * tradingSecondsPerDay;
      processes.put(
          instrument.id(),
          new PriceProcess(instrument, seed * 31 + index++, start.lastPrice(), tradesPerDay));
      instruments.put(instrument.id(), instrument);
      previousClose.put(instrument.id(), start.previousClose());
    }
  }

  /** The trades that happen in {@code seconds} of wall time ending at {@code now}. */
  public List<Tick> step(Instant now, double seconds) {
    if (!calendar.isOpen(now)) {
      return List.of();
    }
    List<Tick> ticks = new ArrayList<>();
    LocalDate today = calendar.tradingDay(now);
    for (Map.Entry<String, PriceProcess> entry : processes.entrySet()) {
      String id = entry.getKey();
      PriceProcess process = entry.getValue();
      rollDay(id, process, today);
      int trades = process.arrivals(instruments.get(id).simulation().ticksPerSecond() * seconds);
      for (int i = 0; i < trades; i++) {
        double price = process.nextPrice(previousClose.get(id));
        ticks.add(new Tick(id, price, process.nextQuantity(), now, SOURCE, ++seq));
      }
    }
    return ticks;
  }

  private void rollDay(String id, PriceProcess process, LocalDate today) {
    LocalDate last = day.put(id, today);
    if (last != null && !last.equals(today)) {
      previousClose.put(id, process.price());
    }
  }

  /**
   * Daily closes for the {@code days} trading days before {@code today}, ending at the instruments'
   * reference prices, so a fresh demo has the history σ, VWAP20 and ADV20 need. About one day in
   * ten is near-empty, as in the national market.
   */
  public static List<Tick> history(
      Instruments catalog, TradingCalendar calendar, long seed, LocalDate today, int days) {
    List<Tick> ticks = new ArrayList<>();
    int index = 0;
    for (Instrument instrument : catalog.all()) {
      PriceProcess process =
          new PriceProcess(instrument, seed * 17 + index++, instrument.referencePrice(), 1);
      List<DailyBar> bars = new ArrayList<>();
      LocalDate cursor = calendar.tradingDaysBack(today, days);
      for (int d = 0; d < days; d++) {
        double price = process.nextPrice(process.price());
        double median = instrument.simulation().medianDailyVolume();
        double volume =
            process.uniform() < 0.1
                ? Math.max(1, Math.round(median * 0.01))
                : Math.max(1, Math.round(median * Math.exp(0.5 * process.gaussian())));
        Instant close =
            cursor.atTime(TradingCalendar.CLOSE).atZone(TradingCalendar.ZONE).toInstant();
        bars.add(new DailyBar(cursor, price, price, price, price, close, volume, price * volume));
        cursor = nextTradingDay(calendar, cursor);
      }
      // Shift the path so the last close sits at the reference price:
      // the demo opens at the benchmark.
      double scale = instrument.referencePrice() / bars.get(bars.size() - 1).close();
      for (DailyBar bar : bars) {
        double price =
            Math.round(bar.close() * scale / instrument.tickSize()) * instrument.tickSize();
        ticks.add(
            new Tick(
                instrument.id(),
                price,
                bar.volume(),
                bar.closeAt(),
                HISTORY_SOURCE,
                bar.day().toEpochDay() * 100 + index));
      }
    }
    ticks.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    return ticks;
  }

  private static LocalDate nextTradingDay(TradingCalendar calendar, LocalDate day) {
    LocalDate next = day.plusDays(1);
    while (!calendar.isTradingDay(next)) {
      next = next.plusDays(1);
    }
    return next;
  }
}
