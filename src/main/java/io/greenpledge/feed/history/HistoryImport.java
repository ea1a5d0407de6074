package io.greenpledge.feed.history;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.InstrumentMarket;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.store.HistoryRepository.ImportRecord;
import io.greenpledge.store.HistoryRepository.ImportedBar;
import io.greenpledge.store.HistoryRepository.StoredDay;
import io.vertx.core.Future;
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

  public HistoryImport(
      Instruments catalog, TradingCalendar calendar, HistoryRepository repository) {
    this.catalog = catalog;
    this.calendar = calendar;
    this.repository = repository;
  }

  /**
   * @param sha256 of the file's bytes, to recognise a second import of the same file
   * @param importedBy who asked (a token's subject, or the operating-system user of the CLI)
   */
  public Future<ImportReport> load(
      HistoryFile.Parsed parsed, String sha256, boolean dryRun, String importedBy) {
    return repository
        .findBySha(sha256)
        .compose(
            earlier -> {
              if (earlier.isPresent() && !dryRun) {
                return Future.succeededFuture(ImportReport.alreadyImported(parsed, earlier.get()));
              }
              Map<String, List<HistoryRow>> byInstrument = new LinkedHashMap<>();
              parsed
                  .rows()
                  .forEach(
                      r ->
                          byInstrument
                              .computeIfAbsent(r.instrument(), k -> new ArrayList<>())
                              .add(r));
              Future<List<Planned>> plans = Future.succeededFuture(new ArrayList<>());
              for (Map.Entry<String, List<HistoryRow>> e : byInstrument.entrySet()) {
                plans =
                    plans.compose(
                        list ->
                            plan(e.getKey(), e.getValue())
                                .map(
                                    p -> {
                                      list.add(p);
                                      return list;
                                    }));
              }
              return plans.compose(
                  list ->
                      dryRun
                          ? report(parsed, list, Optional.empty(), true)
                          : write(parsed, sha256, importedBy, list)
                              .compose(id -> report(parsed, list, Optional.of(id), false)));
            });
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
    SeriesCheck check = new SeriesCheck(instrument.get(), calendar);
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
      HistoryFile.Parsed parsed, String sha256, String importedBy, List<Planned> plans) {
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
            importedBy,
            null,
            Optional.empty());
    return repository.store(record, bars);
  }

  private Future<ImportReport> report(
      HistoryFile.Parsed parsed, List<Planned> plans, Optional<Long> importId, boolean dryRun) {
    Future<List<ImportReport.InstrumentReport>> reports = Future.succeededFuture(new ArrayList<>());
    for (Planned plan : plans) {
      reports =
          reports.compose(
              list ->
                  statistics(plan, dryRun)
                      .map(
                          stats -> {
                            list.add(ImportReport.InstrumentReport.of(plan, stats));
                            return list;
                          }));
    }
    return reports.map(
        list ->
            new ImportReport(
                parsed.file(),
                parsed.layout().name(),
                parsed.charset().name(),
                dryRun,
                importId,
                Optional.empty(),
                list,
                parsed.problems()));
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
    LocalDate last = accepted.get(accepted.size() - 1).day();
    LocalDate asOf = calendar.nextTradingDay(last);
    LocalDate from = calendar.tradingDaysBack(asOf, InstrumentMarket.HISTORY_DAYS);
    return repository
        .bars(plan.instrument().id(), from, last)
        .map(
            stored -> {
              TreeMap<LocalDate, DailyBar> bars = new TreeMap<>();
              stored.forEach(b -> bars.put(b.day(), b));
              if (dryRun) {
                for (ImportedBar b : plan.toWrite()) {
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
              InstrumentMarket market = new InstrumentMarket(plan.instrument(), calendar);
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
