package io.greenpledge.feed.history;

import io.greenpledge.store.HistoryRepository.ImportRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an import did, per instrument: days written, already there, kept because live ticks built
 * them, blank (holidays), refused with file, line and reason; and σ, ADV20 and VWAP20 after it.
 *
 * @param alreadyImportedAs set when the same bytes were imported before: nothing was done
 */
public record ImportReport(
    String file,
    String layout,
    String charset,
    boolean dryRun,
    Optional<Long> importId,
    Optional<Long> alreadyImportedAs,
    List<InstrumentReport> instruments,
    List<HistoryFile.Problem> unreadable) {

  /**
   * The statistics a valuation would use on {@code asOf}, the trading day after the last imported
   * day.
   */
  public record Statistics(
      LocalDate asOf, double sigma, String sigmaBasis, double adv20, double vwap20) {}

  public record InstrumentReport(
      String instrument,
      int rows,
      int written,
      int same,
      int keptJournaled,
      int blank,
      Map<SeriesCheck.Reason, Integer> refusedByReason,
      List<SeriesCheck.Refusal> refusals,
      Optional<LocalDate> firstDay,
      Optional<LocalDate> lastDay,
      Optional<Statistics> after,
      boolean trades) {

    static InstrumentReport of(HistoryImport.Planned plan, Optional<Statistics> after) {
      SeriesCheck.Result checked = plan.checked();
      List<SeriesCheck.Day> days = checked.accepted();
      return new InstrumentReport(
          plan.instrument().id(),
          days.size() + checked.refused().size() + checked.blank(),
          plan.toWrite().size(),
          plan.same(),
          plan.keptJournaled(),
          checked.blank(),
          checked.refusedByReason(),
          checked.refused(),
          days.isEmpty() ? Optional.empty() : Optional.of(days.get(0).day()),
          days.isEmpty() ? Optional.empty() : Optional.of(days.get(days.size() - 1).day()),
          after,
          false);
    }

    public int refused() {
      return refusals.size();
    }
  }

  static ImportReport of(
      HistoryFile.Parsed parsed,
      boolean dryRun,
      Optional<Long> importId,
      List<InstrumentReport> instruments) {
    return new ImportReport(
        parsed.file(),
        parsed.layout().name(),
        parsed.charset().name(),
        dryRun,
        importId,
        Optional.empty(),
        instruments,
        parsed.problems());
  }

  static ImportReport alreadyImported(HistoryFile.Parsed parsed, ImportRecord earlier) {
    return new ImportReport(
        parsed.file(),
        parsed.layout().name(),
        parsed.charset().name(),
        false,
        Optional.empty(),
        Optional.of(earlier.id()),
        List.of(),
        parsed.problems());
  }

  /** Every refused row and unreadable line, in file order. */
  public List<String> problems() {
    List<String> lines = new ArrayList<>();
    unreadable.forEach(p -> lines.add(p.toString()));
    instruments.forEach(i -> i.refusals().forEach(r -> lines.add(r.toString())));
    return lines;
  }

  /** The summary a person reads at the end of an import. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(file)
        .append(" (")
        .append(layout.toLowerCase())
        .append(", ")
        .append(charset)
        .append(")");
    if (alreadyImportedAs.isPresent()) {
      return out.append(": already imported as #")
          .append(alreadyImportedAs.get())
          .append("; nothing changed\n")
          .toString();
    }
    out.append(dryRun ? ": dry run, nothing written\n" : ": import #" + importId.orElse(0L) + "\n");
    for (InstrumentReport i : instruments) {
      if (i.trades()) {
        out.append(
            String.format(
                "  %-6s %s … %s: %d trades, %d journaled, %d refused%s%n",
                i.instrument(),
                i.firstDay().map(Object::toString).orElse("—"),
                i.lastDay().map(Object::toString).orElse("—"),
                i.rows(),
                i.written(),
                i.refused(),
                i.refusedByReason().isEmpty() ? "" : " " + i.refusedByReason()));
      } else {
        out.append(
            String.format(
                "  %-6s %s … %s: %d rows, %d days written, %d unchanged, %d kept (live), "
                    + "%d blank, %d refused%s%n",
                i.instrument(),
                i.firstDay().map(Object::toString).orElse("—"),
                i.lastDay().map(Object::toString).orElse("—"),
                i.rows(),
                i.written(),
                i.same(),
                i.keptJournaled(),
                i.blank(),
                i.refused(),
                i.refusedByReason().isEmpty() ? "" : " " + i.refusedByReason()));
      }
      i.after()
          .ifPresent(
              s ->
                  out.append(
                      String.format(
                          "         as of %s: σ %.6f (%s), ADV20 %.4f, VWAP20 %.4f%n",
                          s.asOf(), s.sigma(), s.sigmaBasis(), s.adv20(), s.vwap20())));
    }
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      out.append("  refused or unreadable:\n");
      problems.forEach(p -> out.append("    ").append(p).append('\n'));
    }
    return out.toString();
  }
}
