package io.greenpledge.market;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The live market of one instrument: daily bars, last trade and the statistics derived from them.
 * Single-threaded (owned by the market verticle); readers get immutable {@link Quote}s.
 * Window sums of completed days are cached per trading day so a tick costs O(1).
 */
public final class InstrumentMarket {

  /** Days of bars kept: enough for VWAP20/ADV20 and a well-converged EWMA σ. */
  static final int HISTORY_DAYS = 60;
  private static final int WINDOW = 20;

  private final Instrument instrument;
  private final TradingCalendar calendar;
  private final NavigableMap<LocalDate, DailyBar> bars = new TreeMap<>();
  private double lastTrade = Double.NaN;
  private Instant lastTickAt;
  private String lastTickSource;
  private long lastTickSeq;

  private LocalDate statsDay;
  private double priorNotional;
  private double priorVolume;
  private double adv20;
  private double sigma;
  private double previousClose;

  public InstrumentMarket(Instrument instrument, TradingCalendar calendar) {
    this.instrument = instrument;
    this.calendar = calendar;
  }

  public Instrument instrument() {
    return instrument;
  }

  /** Warms the market from journaled daily bars and the last journaled tick. */
  public void restore(List<DailyBar> history, Tick lastTick) {
    history.forEach(bar -> bars.put(bar.day(), bar));
    trim();
    if (lastTick != null) {
      lastTrade = lastTick.price();
      lastTickAt = lastTick.ts();
      lastTickSource = lastTick.source();
      lastTickSeq = lastTick.seq();
    }
    statsDay = null;
  }

  /** What a tick changes, saved so ticks that could not be journaled can be taken back. */
  record Saved(NavigableMap<LocalDate, DailyBar> bars, double lastTrade, Instant lastTickAt, String lastTickSource,
      long lastTickSeq) {}

  Saved save() {
    return new Saved(new TreeMap<>(bars), lastTrade, lastTickAt, lastTickSource, lastTickSeq);
  }

  void restore(Saved saved) {
    bars.clear();
    bars.putAll(saved.bars());
    lastTrade = saved.lastTrade();
    lastTickAt = saved.lastTickAt();
    lastTickSource = saved.lastTickSource();
    lastTickSeq = saved.lastTickSeq();
    statsDay = null;
  }

  /** The close the daily limit band is measured from for a trade on {@code day}. */
  public double previousClose(LocalDate day) {
    Map.Entry<LocalDate, DailyBar> before = bars.lowerEntry(day);
    return before == null ? instrument.referencePrice() : before.getValue().close();
  }

  /** The trading day of the most recent bar, or null before any trade. */
  public LocalDate currentDay() {
    return bars.isEmpty() ? null : bars.lastKey();
  }

  /** Applies an already validated tick, e.g. from the journal when replaying a valuation. */
  public void replay(Tick tick) {
    apply(tick);
  }

  void apply(Tick tick) {
    LocalDate day = calendar.tradingDay(tick.ts());
    bars.merge(day, DailyBar.first(day, tick), (bar, ignored) -> bar.with(tick));
    if (lastTickAt == null || !tick.ts().isBefore(lastTickAt)) {
      lastTrade = tick.price();
      lastTickAt = tick.ts();
      lastTickSource = tick.source();
      lastTickSeq = tick.seq();
    }
    if (!day.equals(statsDay)) {
      statsDay = null;
    }
    trim();
  }

  public boolean isStale(Instant now) {
    return lastTickAt == null
        || calendar.tradingTimeBetween(lastTickAt, now).compareTo(instrument.staleAfter()) > 0;
  }

  public Quote quote(MarkBasis basis, Instant now) {
    LocalDate today = calendar.tradingDay(now);
    refreshStats(today);
    DailyBar bar = bars.get(today);
    double volume = priorVolume + (bar == null ? 0 : bar.volume());
    double notional = priorNotional + (bar == null ? 0 : bar.notional());
    double vwap20 = volume > 0 ? notional / volume : Double.NaN;
    boolean stale = isStale(now);
    Marks.Mark mark = Marks.mark(basis, stale, lastTrade, vwap20, instrument.referencePrice());
    return new Quote(instrument.id(), lastTrade, vwap20, sigma, adv20, instrument.referencePrice(),
        previousClose, mark.price(), mark.basis(), stale, lastTickAt, lastTickSource, lastTickSeq, bar,
        calendar.tradingDaysBack(today, WINDOW - 1), today, now);
  }

  /** Recomputes the statistics of completed days once per trading day. */
  private void refreshStats(LocalDate today) {
    if (today.equals(statsDay)) {
      return;
    }
    statsDay = today;
    LocalDate windowStart = calendar.tradingDaysBack(today, WINDOW);
    double volume = 0;
    double notional = 0;
    List<Double> closes = new ArrayList<>();
    for (DailyBar bar : bars.headMap(today, false).values()) {
      closes.add(bar.close());
      if (!bar.day().isBefore(windowStart)) {
        volume += bar.volume();
        notional += bar.notional();
      }
    }
    DailyBar firstOfWindow = bars.ceilingEntry(windowStart) == null ? null : bars.ceilingEntry(windowStart).getValue();
    // VWAP20 spans 20 trading days including today, so the oldest day of the ADV window drops out.
    double oldestVolume = firstOfWindow != null && firstOfWindow.day().equals(windowStart) ? firstOfWindow.volume() : 0;
    double oldestNotional = firstOfWindow != null && firstOfWindow.day().equals(windowStart) ? firstOfWindow.notional() : 0;
    adv20 = volume / WINDOW;
    priorVolume = volume - oldestVolume;
    priorNotional = notional - oldestNotional;
    sigma = Ewma.sigma(closes, Ewma.LAMBDA, instrument.defaultSigma());
    previousClose = previousClose(today);
  }

  private void trim() {
    while (bars.size() > HISTORY_DAYS) {
      bars.pollFirstEntry();
      statsDay = null;
    }
  }
}
