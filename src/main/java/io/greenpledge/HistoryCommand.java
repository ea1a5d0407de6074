package io.greenpledge;

import io.greenpledge.config.Settings;
import io.greenpledge.feed.history.HistoryFile;
import io.greenpledge.feed.history.HistoryImport;
import io.greenpledge.feed.history.ImportReport;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.store.HistoryRepository;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code import FILE… [--instrument ID] [--dry-run]}, {@code import list}, {@code import undo ID}:
 * loads daily history into the configured database (embedded or {@code GP_PG_URL}). Runs on the
 * calling thread; the database work is awaited here, never on an event loop. A running gateway
 * picks the new days up within {@code HistoryWatch}'s interval.
 */
final class HistoryCommand {

  private static final long TIMEOUT_MINUTES = 30;

  private final Settings settings;
  private final PrintStream out;

  HistoryCommand(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  int run(List<String> args) throws Exception {
    List<Path> files = new ArrayList<>();
    Optional<String> instrument = Optional.empty();
    boolean dryRun = false;
    String sub = args.isEmpty() ? "" : args.get(0);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--dry-run" -> dryRun = true;
        case "--instrument" -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("--instrument needs an instrument id, e.g. CEA");
          }
          instrument = Optional.of(args.get(++i));
        }
        default -> {
          if (arg.startsWith("--")) {
            throw new IllegalArgumentException(
                "unknown option " + arg + "; import takes --instrument ID and --dry-run");
          }
          files.add(Path.of(arg));
        }
      }
    }
    if (sub.equals("list") && files.size() == 1) {
      return withDatabase(history -> list(history));
    }
    if (sub.equals("undo") && files.size() == 2) {
      long id = parseId(args.get(1));
      return withDatabase(history -> undo(history, id));
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "usage: import FILE… [--instrument ID] [--dry-run] | import list | import undo ID");
    }
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file);
      }
    }
    Optional<String> onlyInstrument = instrument;
    boolean dry = dryRun;
    return withDatabase(history -> importAll(history, files, onlyInstrument, dry));
  }

  private static long parseId(String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "import undo takes an import id (see import list), was '" + raw + "'");
    }
  }

  private interface Work {
    int run(HistoryRepository history) throws Exception;
  }

  private int withDatabase(Work work) throws Exception {
    return CommandDatabase.with(
        settings,
        "load through POST /api/v1/history (market-admin) or stop it first",
        pool -> work.run(new HistoryRepository(pool)));
  }

  private int importAll(
      HistoryRepository history, List<Path> files, Optional<String> instrument, boolean dryRun)
      throws Exception {
    Instruments catalog = Instruments.seed();
    HistoryImport importer =
        new HistoryImport(catalog, TradingCalendar.exchange(), history, Clock.systemUTC());
    int refused = 0;
    for (Path file : files) {
      Progress progress = new Progress(file, Files.size(file));
      HistoryFile.Parsed parsed = new HistoryFile(catalog, instrument).read(file, progress::bytes);
      progress.done(parsed.rows().size());
      ImportReport report =
          await(importer.load(parsed, HistoryFile.sha256(file), dryRun, cliActor()));
      out.print(report.text());
      refused += report.problems().size();
    }
    return refused == 0 ? 0 : 3;
  }

  private int list(HistoryRepository history) throws Exception {
    for (HistoryRepository.ImportRecord r : await(history.list())) {
      out.printf(
          "#%d %s %s %s … %s written %d, unchanged %d, refused %d, by %s at %s%s%n",
          r.id(),
          r.fileName(),
          r.instruments(),
          r.firstDay(),
          r.lastDay(),
          r.daysWritten(),
          r.daysSame(),
          r.refused(),
          r.importedBy(),
          r.importedAt(),
          r.undoneAt().map(at -> ", undone at " + at).orElse(""));
    }
    return 0;
  }

  private int undo(HistoryRepository history, long id) throws Exception {
    Optional<Integer> removed = await(history.undo(id, cliActor()));
    if (removed.isEmpty()) {
      throw new IllegalArgumentException("no import #" + id + " to undo (see import list)");
    }
    out.println("import #" + id + " undone: " + removed.get() + " days removed");
    return 0;
  }

  /** The command line's actor in the audit trail: the operating-system user on this host. */
  static io.greenpledge.store.AuditLog.Actor cliActor() {
    return new io.greenpledge.store.AuditLog.Actor(
        "os:" + System.getProperty("user.name"), "cli", "local");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return CommandDatabase.await(future);
  }

  /** Rows read, rate and time left, on a terminal only (a log file gets the summary alone). */
  private final class Progress {
    private final Path file;
    private final long size;
    private final long started = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long lastShown;

    Progress(Path file, long size) {
      this.file = file;
      this.size = Math.max(1, size);
    }

    void bytes(long read) {
      long now = System.nanoTime();
      if (!terminal || now - lastShown < 500_000_000L) {
        return;
      }
      lastShown = now;
      double seconds = (now - started) / 1e9;
      double rate = read / Math.max(seconds, 1e-3);
      out.printf(
          "\r%s: %d %% (%.1f MB/s, %.0f s left)   ",
          file.getFileName(), read * 100 / size, rate / 1e6, (size - read) / Math.max(rate, 1));
    }

    void done(int rows) {
      if (terminal) {
        out.printf(
            "\r%s: %d rows read in %.1f s%n",
            file.getFileName(), rows, (System.nanoTime() - started) / 1e9);
      }
    }
  }
}
