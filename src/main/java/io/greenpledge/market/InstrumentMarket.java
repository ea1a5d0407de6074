package io.greenpledge.market;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The live market of one instrument: daily bars, last trade and the statistics derived from them.
 * Single-threaded (owned by the market verticle); readers get immutable {@link Quote}s. Window sums
 * of completed days are cached per trading day so a tick costs O(1).
 */
public final class InstrumentMarket {

  /** Bars kept: the σ window of 250 trading days, with room for days without trade. */
  public static final int HISTORY_DAYS = Ewma.WINDOW_DAYS + 10;

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
  private double previousClose;
  private LocalDate previousCloseDay;

  /**
   * Returns of the completed days in the σ window, oldest first, and their variance (NaN if too
   * few).
   */
  private List<Ewma.Return> completedReturns = List.of();

  private double completedVariance;

  public InstrumentMarket(Instrument instrument, TradingCalendar calendar) {
    this.instrument = instrument;
    this.calendar = calendar;
  }

  public Instrument instrument() {
    return instrument;
  }

  /**
   * Warms the market from daily bars (journaled or imported) and the last journaled tick. A day
   * imported as a bar is a close without its trades: when it is newer than the last tick, its close
   * is the last trade known (source {@value #BAR_SOURCE}), as it would be had the trades been
   * journaled.
   */
  public void restore(List<DailyBar> history, Tick lastTick) {
    history.forEach(bar -> bars.put(bar.day(), bar));
    trim();
    if (lastTick != null) {
      lastTrade = lastTick.price();
      lastTickAt = lastTick.ts();
      lastTickSource = lastTick.source();
      lastTickSeq = lastTick.seq();
    }
    adoptLastClose();
    statsDay = null;
  }

  /** The source named for a last trade that is an imported day's close. */
  public static final String BAR_SOURCE = "daily-bar";

  private void adoptLastClose() {
    if (bars.isEmpty()) {
      return;
    }
    DailyBar last = bars.lastEntry().getValue();
    if (lastTickAt == null || lastTickAt.isBefore(last.closeAt())) {
      lastTrade = last.close();
      lastTickAt = last.closeAt();
      lastTickSource = BAR_SOURCE;
      lastTickSeq = 0;
    }
  }

  /**
   * Replaces the completed days with {@code history} (an import or an undo changed them); today's
   * bar, built from live ticks, stays as it is.
   */
  public void replaceHistory(List<DailyBar> history, Instant now) {
    LocalDate today = calendar.tradingDay(now);
    bars.headMap(today, false).clear();
    history.stream()
        .filter(bar -> bar.day().isBefore(today))
        .forEach(bar -> bars.put(bar.day(), bar));
    trim();
    adoptLastClose();
    statsDay = null;
  }

  /**
   * What ticks changed since {@link #record()}, so ticks that could not be journaled can be taken
   * back: each bar they touched as it was before (null: it did not exist), and the last trade. A
   * group touches one or two bars, so this costs what the group changed, not the market's history.
   */
  static final class Undo {
    private final Map<LocalDate, DailyBar> bars = new HashMap<>();
    private final double lastTrade;
    private final Instant lastTickAt;
    private final String lastTickSource;
    private final long lastTickSeq;

    private Undo(InstrumentMarket market) {
      this.lastTrade = market.lastTrade;
      this.lastTickAt = market.lastTickAt;
      this.lastTickSource = market.lastTickSource;
      this.lastTickSeq = market.lastTickSeq;
    }

    private void before(LocalDate day, DailyBar bar) {
      if (!bars.containsKey(day)) {
        bars.put(day, bar);
      }
    }
  }

  private Undo recording;

  /**
   * Starts keeping what the next ticks change; ends at {@link #stopRecording()} or {@link
   * #restore}.
   */
  Undo record() {
    recording = new Undo(this);
    return recording;
  }

  void stopRecording() {
    recording = null;
  }

  void restore(Undo undo) {
    undo.bars.forEach(
        (day, bar) -> {
          if (bar == null) {
            bars.remove(day);
          } else {
            bars.put(day, bar);
          }
        });
    lastTrade = undo.lastTrade;
    lastTickAt = undo.lastTickAt;
    lastTickSource = undo.lastTickSource;
    lastTickSeq = undo.lastTickSeq;
    statsDay = null;
    recording = null;
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
    if (recording != null) {
      recording.before(day, bars.get(day));
    }
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
    double vwap20 = volume > 0 ? round(notional / volume, 4) : Double.NaN;
    boolean stale = isStale(now);
    boolean recent =
        lastTickAt != null
            && !calendar
                .tradingDay(lastTickAt)
                .isBefore(calendar.tradingDaysBack(today, Ewma.WINDOW_DAYS));
    int staleDays =
        stale && lastTickAt != null
            ? calendar.tradingDaysBetween(calendar.tradingDay(lastTickAt), today)
            : 0;
    Marks.Mark mark =
        Marks.mark(basis, stale, recent, lastTrade, vwap20, instrument.referencePrice());
    double variance = variance(bar, mark, today);
    SigmaBasis sigmaBasis = Double.isNaN(variance) ? SigmaBasis.PRIOR : SigmaBasis.EWMA;
    double sigma =
        round(Double.isNaN(variance) ? instrument.defaultSigma() : Math.sqrt(variance), 8);
    return new Quote(
        instrument.id(),
        lastTrade,
        vwap20,
        sigma,
        sigmaBasis,
        adv20,
        instrument.referencePrice(),
        previousClose,
        mark.price(),
        mark.basis(),
        stale,
        staleDays,
        recent,
        lastTickAt,
        lastTickSource,
        lastTickSeq,
        bar,
        calendar.tradingDaysBack(today, WINDOW),
        today,
        now);
  }

  /**
   * The EWMA variance with today's return (mark against the previous close) as the latest
   * observation, so a −9.9 % day raises σ at once; NaN with fewer than ten returns in the window.
   */
  private double variance(DailyBar todayBar, Marks.Mark mark, LocalDate today) {
    if (todayBar == null || previousCloseDay == null) {
      return completedVariance;
    }
    Ewma.Return latest =
        Ewma.Return.of(
            previousClose, mark.price(), calendar.tradingDaysBetween(previousCloseDay, today));
    if (!Double.isNaN(completedVariance)) {
      return Ewma.next(completedVariance, latest, Ewma.LAMBDA);
    }
    List<Ewma.Return> all = new ArrayList<>(completedReturns);
    all.add(latest);
    return Ewma.variance(all, Ewma.LAMBDA);
  }

  /** Recomputes the statistics of completed days once per trading day. */
  private void refreshStats(LocalDate today) {
    if (today.equals(statsDay)) {
      return;
    }
    statsDay = today;
    LocalDate windowStart = calendar.tradingDaysBack(today, WINDOW);
    LocalDate sigmaStart = calendar.tradingDaysBack(today, Ewma.WINDOW_DAYS);
    long volume4 = 0;
    double volume = 0;
    double notional = 0;
    List<Ewma.Return> returns = new ArrayList<>();
    DailyBar previous = null;
    for (DailyBar bar : bars.headMap(today, false).values()) {
      if (!bar.day().isBefore(windowStart)) {
        volume4 += Math.round(bar.volume() * 10_000);
        volume += bar.volume();
        notional += bar.notional();
      }
      if (!bar.day().isBefore(sigmaStart)) {
        if (previous != null && !previous.day().isBefore(sigmaStart)) {
          returns.add(
              Ewma.Return.of(
                  previous.close(),
                  bar.close(),
                  calendar.tradingDaysBetween(previous.day(), bar.day())));
        }
      }
      previous = bar;
    }
    // ADV20 = the 20 completed days' volume / 20, exact in 6 decimals; VWAP20 adds today to the
    // same 20.
    adv20 = volume4 * 5 / 1e6;
    priorVolume = volume;
    priorNotional = notional;
    completedReturns = List.copyOf(returns);
    completedVariance = Ewma.variance(completedReturns, Ewma.LAMBDA);
    previousClose = previousClose(today);
    Map.Entry<LocalDate, DailyBar> before = bars.lowerEntry(today);
    previousCloseDay = before == null ? null : before.getKey();
  }

  private static double round(double value, int places) {
    return java.math.BigDecimal.valueOf(value)
        .setScale(places, java.math.RoundingMode.HALF_EVEN)
        .doubleValue();
  }

  private void trim() {
    while (bars.size() > HISTORY_DAYS) {
      Map.Entry<LocalDate, DailyBar> oldest = bars.pollFirstEntry();
      if (recording != null) {
        recording.before(oldest.getKey(), oldest.getValue());
      }
      statsDay = null;
    }
  }
}
