package io.greenpledge.feed.history;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.InstrumentMarket;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.store.AuditLog;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.store.HistoryRepository.ImportRecord;
import io.greenpledge.store.HistoryRepository.ImportedBar;
import io.greenpledge.store.HistoryRepository.StoredDay;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads a parsed history file: each instrument's days are checked as a series, compared with what
 * is stored, and the new or changed ones written in one transaction with the import's record. The
 * same bytes twice are recognised (SHA-256) and change nothing; a day already journaled from live
 * ticks is kept. The report says what happened to every day and the statistics the market will use
 * after it.
 */
public final class HistoryImport {

  private final Instruments catalog;
  private final TradingCalendar calendar;
  private final HistoryRepository repository;
  private final Clock clock;

  /**
   * @param clock tells the trading day under way, which an import does not write (only completed
   *     days are history)
   */
  public HistoryImport(
      Instruments catalog, TradingCalendar calendar, HistoryRepository repository, Clock clock) {
    this.catalog = catalog;
    this.calendar = calendar;
    this.repository = repository;
    this.clock = clock;
  }

  private SeriesCheck check(Instrument instrument) {
    return new SeriesCheck(instrument, calendar, calendar.tradingDay(clock.instant()));
  }

  /**
   * @param sha256 of the file's bytes, to recognise a second import of the same file
   * @param actor who asked (a token's subject and request, or the operating-system user of the
   *     CLI), recorded on the import and in the audit trail
   */
  public Future<ImportReport> load(
      HistoryFile.Parsed parsed, String sha256, boolean dryRun, AuditLog.Actor actor) {
    if (parsed.rows().isEmpty() && parsed.trades().isEmpty()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              parsed.file()
                  + ": no day or trade to import"
                  + (parsed.problems().isEmpty()
                      ? ""
                      : "; "
                          + parsed.problems().subList(0, Math.min(5, parsed.problems().size())))));
    }
    return repository
        .findBySha(sha256)
        .compose(
            earlier -> {
              if (earlier.isPresent() && !dryRun) {
                return Future.succeededFuture(ImportReport.alreadyImported(parsed, earlier.get()));
              }
              if (parsed.layout() == HistoryFile.Layout.TRADES) {
                return loadTrades(parsed, sha256, dryRun, actor);
              }
              Map<String, List<HistoryRow>> byInstrument = new LinkedHashMap<>();
              parsed
                  .rows()
                  .forEach(
                      r ->
                          byInstrument
                              .computeIfAbsent(r.instrument(), k -> new ArrayList<>())
                              .add(r));
              return inOrder(byInstrument.entrySet(), e -> plan(e.getKey(), e.getValue()))
                  .compose(
                      list ->
                          dryRun
                              ? report(parsed, list, Optional.empty(), true)
                              : write(parsed, sha256, actor, list)
                                  .compose(id -> report(parsed, list, Optional.of(id), false)));
            });
  }

  /**
   * Trades are journaled like live ones, under the source {@code import:<sha256 prefix>} with the
   * file's line as seq (so a repeat is a no-op), and the journal statement keeps the daily bars.
   */
  private Future<ImportReport> loadTrades(
      HistoryFile.Parsed parsed, String sha256, boolean dryRun, AuditLog.Actor actor) {
    Map<String, List<HistoryFile.TradeRow>> byInstrument = new LinkedHashMap<>();
    parsed
        .trades()
        .forEach(t -> byInstrument.computeIfAbsent(t.instrument(), k -> new ArrayList<>()).add(t));
    Future<List<TradesPlanned>> plans =
        inOrder(byInstrument.entrySet(), e -> planTrades(e.getKey(), e.getValue()));
    String source = "import:" + sha256.substring(0, 12);
    return plans.compose(
        list -> {
          if (dryRun) {
            return tradesReport(parsed, list, Optional.empty(), true);
          }
          List<io.greenpledge.market.Tick> ticks = new ArrayList<>();
          list.forEach(
              p ->
                  p.checked()
                      .accepted()
                      .forEach(
                          t ->
                              ticks.add(
                                  new io.greenpledge.market.Tick(
                                      t.instrument(),
                                      t.price().doubleValue(),
                                      t.quantity().doubleValue(),
                                      t.ts(),
                                      source,
                                      t.line()))));
          List<LocalDate> days =
              ticks.stream().map(t -> calendar.tradingDay(t.ts())).sorted().toList();
          ImportRecord record =
              new ImportRecord(
                  0,
                  parsed.file(),
                  sha256,
                  parsed.layout().name(),
                  list.stream().map(p -> p.instrument().id()).toList(),
                  days.isEmpty() ? null : days.get(0),
                  days.isEmpty() ? null : days.get(days.size() - 1),
                  ticks.size(),
                  0,
                  list.stream().mapToInt(p -> p.checked().refused().size()).sum()
                      + parsed.problems().size(),
                  actor.subject(),
                  null,
                  Optional.empty());
          return repository
              .storeTrades(record, source, ticks, actor)
              .compose(id -> tradesReport(parsed, list, Optional.of(id), false));
        });
  }

  record TradesPlanned(Instrument instrument, SeriesCheck.TradesResult checked) {}

  private Future<TradesPlanned> planTrades(String id, List<HistoryFile.TradeRow> trades) {
    Optional<Instrument> instrument = catalog.find(id);
    if (instrument.isEmpty()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              trades.get(0).where()
                  + ": instrument '"
                  + id
                  + "' is not in the catalog "
                  + catalog.ids()));
    }
    LocalDate first = calendar.tradingDay(trades.get(0).ts());
    return repository
        .closeBefore(id, first)
        .map(
            before ->
                new TradesPlanned(
                    instrument.get(), check(instrument.get()).checkTrades(trades, before)));
  }

  private Future<ImportReport> tradesReport(
      HistoryFile.Parsed parsed,
      List<TradesPlanned> plans,
      Optional<Long> importId,
      boolean dryRun) {
    return inOrder(plans, plan -> tradesReport(plan, dryRun))
        .map(list -> ImportReport.of(parsed, dryRun, importId, list));
  }

  private Future<ImportReport.InstrumentReport> tradesReport(TradesPlanned plan, boolean dryRun) {
    List<HistoryFile.TradeRow> accepted = plan.checked().accepted();
    Optional<LocalDate> first =
        accepted.isEmpty()
            ? Optional.empty()
            : Optional.of(calendar.tradingDay(accepted.get(0).ts()));
    Optional<LocalDate> last =
        accepted.isEmpty()
            ? Optional.empty()
            : Optional.of(calendar.tradingDay(accepted.get(accepted.size() - 1).ts()));
    return (last.isEmpty() || dryRun
            ? Future.succeededFuture(Optional.<ImportReport.Statistics>empty())
            : statistics(plan.instrument(), last.get(), List.of(), false))
        .map(
            stats ->
                new ImportReport.InstrumentReport(
                    plan.instrument().id(),
                    accepted.size() + plan.checked().refused().size(),
                    accepted.size(),
                    0,
                    0,
                    0,
                    plan.checked().refusedByReason(),
                    plan.checked().refused(),
                    first,
                    last,
                    stats,
                    true));
  }

  /** Runs {@code step} on each item, one after the other, and collects the results in order. */
  private static <T, R> Future<List<R>> inOrder(
      Iterable<T> items, java.util.function.Function<T, Future<R>> step) {
    Future<List<R>> done = Future.succeededFuture(new ArrayList<>());
    for (T item : items) {
      done =
          done.compose(
              list ->
                  step.apply(item)
                      .map(
                          result -> {
                            list.add(result);
                            return list;
                          }));
    }
    return done;
  }

  /** One instrument's days: checked, then split into new or changed, the same, kept journaled. */
  record Planned(
      Instrument instrument,
      SeriesCheck.Result checked,
      List<ImportedBar> toWrite,
      int same,
      int keptJournaled,
      Map<LocalDate, ImportedBar> existing) {}

  private Future<Planned> plan(String id, List<HistoryRow> rows) {
    Optional<Instrument> instrument = catalog.find(id);
    if (instrument.isEmpty()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              rows.get(0).where()
                  + ": instrument '"
                  + id
                  + "' is not in the catalog "
                  + catalog.ids()));
    }
    LocalDate first =
        rows.stream().map(HistoryRow::day).min(Comparator.naturalOrder()).orElseThrow();
    LocalDate last =
        rows.stream().map(HistoryRow::day).max(Comparator.naturalOrder()).orElseThrow();
    SeriesCheck check = check(instrument.get());
    return repository
        .closeBefore(id, first)
        .map(before -> check.check(rows, before))
        .compose(
            checked ->
                repository
                    .days(id, first, last)
                    .map(
                        stored -> {
                          List<ImportedBar> toWrite = new ArrayList<>();
                          Map<LocalDate, ImportedBar> existing = new HashMap<>();
                          int same = 0;
                          int journaled = 0;
                          for (SeriesCheck.Day day : checked.accepted()) {
                            ImportedBar bar =
                                new ImportedBar(
                                    day.day(),
                                    day.open(),
                                    day.high(),
                                    day.low(),
                                    day.close(),
                                    day.volume(),
                                    day.amount());
                            StoredDay there = stored.get(day.day());
                            if (there != null) {
                              existing.put(day.day(), there.bar());
                            }
                            if (there != null && there.importId().isEmpty()) {
                              journaled++;
                            } else if (there != null && there.bar().sameAs(bar)) {
                              same++;
                            } else {
                              toWrite.add(bar);
                            }
                          }
                          return new Planned(
                              instrument.get(), checked, toWrite, same, journaled, existing);
                        }));
  }

  private Future<Long> write(
      HistoryFile.Parsed parsed, String sha256, AuditLog.Actor actor, List<Planned> plans) {
    Map<String, List<ImportedBar>> bars = new LinkedHashMap<>();
    plans.forEach(p -> bars.put(p.instrument().id(), p.toWrite()));
    List<LocalDate> days =
        plans.stream()
            .flatMap(p -> p.checked().accepted().stream())
            .map(SeriesCheck.Day::day)
            .sorted()
            .toList();
    ImportRecord record =
        new ImportRecord(
            0,
            parsed.file(),
            sha256,
            parsed.layout().name(),
            plans.stream().map(p -> p.instrument().id()).toList(),
            days.isEmpty() ? null : days.get(0),
            days.isEmpty() ? null : days.get(days.size() - 1),
            plans.stream().mapToInt(p -> p.toWrite().size()).sum(),
            plans.stream().mapToInt(Planned::same).sum(),
            plans.stream().mapToInt(p -> p.checked().refused().size()).sum()
                + parsed.problems().size(),
            actor.subject(),
            null,
            Optional.empty());
    return repository.store(record, bars, actor);
  }

  private Future<ImportReport> report(
      HistoryFile.Parsed parsed, List<Planned> plans, Optional<Long> importId, boolean dryRun) {
    return inOrder(
            plans,
            plan ->
                statistics(plan, dryRun)
                    .map(stats -> ImportReport.InstrumentReport.of(plan, stats)))
        .map(list -> ImportReport.of(parsed, dryRun, importId, list));
  }

  /**
   * σ, ADV20 and VWAP20 as a valuation on the trading day after the last imported day would see
   * them: from the stored bars (and, in a dry run, the days the import would write over them).
   */
  private Future<Optional<ImportReport.Statistics>> statistics(Planned plan, boolean dryRun) {
    List<SeriesCheck.Day> accepted = plan.checked().accepted();
    if (accepted.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return statistics(
        plan.instrument(), accepted.get(accepted.size() - 1).day(), plan.toWrite(), dryRun);
  }

  private Future<Optional<ImportReport.Statistics>> statistics(
      Instrument instrument, LocalDate last, List<ImportedBar> unwritten, boolean dryRun) {
    LocalDate asOf = calendar.nextTradingDay(last);
    LocalDate from = calendar.tradingDaysBack(asOf, InstrumentMarket.HISTORY_DAYS);
    return repository
        .bars(instrument.id(), from, last)
        .map(
            stored -> {
              TreeMap<LocalDate, DailyBar> bars = new TreeMap<>();
              stored.forEach(b -> bars.put(b.day(), b));
              if (dryRun) {
                for (ImportedBar b : unwritten) {
                  if (!b.day().isBefore(from)) {
                    bars.put(
                        b.day(),
                        new DailyBar(
                            b.day(),
                            b.open().doubleValue(),
                            b.high().doubleValue(),
                            b.low().doubleValue(),
                            b.close().doubleValue(),
                            b.day()
                                .atTime(TradingCalendar.CLOSE)
                                .atZone(TradingCalendar.ZONE)
                                .toInstant(),
                            b.volume().doubleValue(),
                            b.amount().doubleValue()));
                  }
                }
              }
              InstrumentMarket market = new InstrumentMarket(instrument, calendar);
              market.restore(List.copyOf(bars.values()), null);
              Quote quote =
                  market.quote(
                      MarkBasis.LAST,
                      asOf.atTime(TradingCalendar.OPEN).atZone(TradingCalendar.ZONE).toInstant());
              return Optional.of(
                  new ImportReport.Statistics(
                      asOf,
                      quote.sigma(),
                      quote.sigmaBasis().name(),
                      quote.adv20(),
                      quote.vwap20()));
            });
  }
}
