package io.greenpledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.config.Settings;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.support.TestDatabase;
import io.greenpledge.support.TestSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import} as a bank's operator runs it, against a real PostgreSQL, with fixture files in the
 * formats a Chinese bank has (src/test/resources/history): a GBK vendor export with two trading
 * modes and blank holiday rows, a Chinese-header CSV, an English CSV, and a file with planted bad
 * rows.
 */
class HistoryImportIT {

  private static final Path FILES = Path.of("src/test/resources/history");

  @TempDir Path dataDir;
  private Settings settings;
  private String pgUrl;

  @BeforeEach
  void freshDatabase() {
    settings = TestSettings.with(dataDir);
    pgUrl =
        "postgresql://"
            + settings.store().pgUrl().orElseThrow().substring("postgresql://".length());
  }

  @Test
  @DisplayName(
      "a GBK vendor export: prices from the listed mode, volume of both modes, holidays skipped")
  void aVendorExportInGbkWithTwoModesAndHolidayRows() throws Exception {
    String report = run("import", FILES.resolve("vendor-cea-gbk.csv").toString());
    assertTrue(report.contains("(vendor, GBK)"), report);
    assertTrue(
        report.contains("5 days written, 0 unchanged, 0 kept (live), 3 blank, 0 refused"), report);
    // 2025-04-30: listed 150,500 t + block 1,000,000 t; listed amount 72.10 × 150,500 =
    // 10,851,050.00
    // plus block 68.50 × 1,000,000 = 68,500,000.00.
    List<String> day =
        row(
            "SELECT open, high, low, close, volume, notional FROM daily_bars "
                + "WHERE instrument = 'CEA' AND day = '2025-04-30'");
    assertEquals(
        List.of("71.9000", "72.3000", "71.8000", "72.1000", "1150500.0000", "79351050.0000"), day);
    // 8.7E4 (E-notation) on 2025-05-07, plus 250,000 block.
    assertEquals(
        List.of("337000.0000"), row("SELECT volume FROM daily_bars WHERE day = '2025-05-07'"));
  }

  @Test
  @DisplayName("the same file twice changes nothing; an overlapping file merges by date")
  void reimportingChangesNothingAndOverlapsMergeByDate() throws Exception {
    run("import", "--instrument", "CCER", FILES.resolve("ccer-en.csv").toString());
    String before = checksum();
    String again = run("import", "--instrument", "CCER", FILES.resolve("ccer-en.csv").toString());
    assertTrue(again.contains("already imported as #1; nothing changed"), again);
    assertEquals(before, checksum());
    // The header and the first 23 days under another name: other bytes, every day already stored
    // with the same figures.
    Path part = dataDir.resolve("ccer-part.csv");
    List<String> lines = Files.readAllLines(FILES.resolve("ccer-en.csv"));
    Files.write(part, lines.subList(0, 24));
    String overlap = run("import", "--instrument", "CCER", part.toString());
    assertTrue(overlap.contains("0 days written, 23 unchanged"), overlap);
    assertEquals(before, checksum());
  }

  @Test
  @DisplayName(
      "a Chinese-header CSV in UTF-8 with a byte-order mark, newest first, a zero-volume day")
  void aChineseHeaderCsv() throws Exception {
    String report = run("import", "--instrument", "CQEA", FILES.resolve("cqea-zh.csv").toString());
    assertTrue(report.contains("(csv, UTF-8)"), report);
    assertTrue(
        report.contains("4 days written, 0 unchanged, 0 kept (live), 1 blank, 0 refused"), report);
    assertEquals(
        List.of("0.0000", "0.0000"),
        row(
            "SELECT volume, notional FROM daily_bars WHERE instrument = 'CQEA' AND day = '2025-03-04'"));
    assertEquals(
        List.of("1500.0000"), row("SELECT volume FROM daily_bars WHERE day = '2025-03-06'"));
  }

  @Test
  @DisplayName(
      "planted bad rows are each refused with their line and reason; the good ones are stored")
  void plantedBadRowsAreReportedByLine() throws Exception {
    String report = run("import", "--instrument", "CEA", FILES.resolve("cea-bad.csv").toString());
    for (String expected :
        List.of(
            "cea-bad.csv line 3: 2025-06-03 HIGH_BELOW_LOW",
            "cea-bad.csv line 4: 2025-06-04 NEGATIVE_VOLUME",
            "cea-bad.csv line 5: 2025-06-07 CLOSED_DAY",
            "cea-bad.csv line 6: 2025-06-05 OUTSIDE_LIMIT_BAND",
            "cea-bad.csv line 8: 2025-06-06 DUPLICATE_DATE",
            "cea-bad.csv line 9: 'abc' is not a number",
            "cea-bad.csv line 10: 2025-06-10 NO_CLOSE",
            "cea-bad.csv line 11: 2025-06-11 OUTSIDE_DAY_RANGE")) {
      assertTrue(report.contains(expected), expected + " in\n" + report);
    }
    assertEquals(List.of("2"), row("SELECT count(*) FROM daily_bars WHERE instrument = 'CEA'"));
    // The band is judged against the previous close in the file: 06-06 (70.10–70.60) against 70.20.
    assertEquals(List.of("70.5000"), row("SELECT close FROM daily_bars WHERE day = '2025-06-06'"));
  }

  @Test
  @DisplayName("σ, ADV20 and VWAP20 after an import equal the values worked by hand")
  void statisticsAfterAnImportAreTheHandWorkedOnes() throws Exception {
    String report = run("import", "--instrument", "CCER", FILES.resolve("ccer-en.csv").toString());
    // 25 trading days from 2025-03-03; close 80.00 on odd days, 80.80 on even ones; volume
    // 1,000 × i.
    // ADV20 on 2025-04-07 = days 6..25: 1,000 × (6 + … + 25) / 20 = 310,000 / 20 = 15,500.
    // VWAP20 = (80.80 × 1,000 × (6+8+…+24) + 80.00 × 1,000 × (7+9+…+25)) / 310,000
    //        = (80.80 × 150,000 + 80.00 × 160,000) / 310,000 = 24,920,000 / 310,000
    //        = 80.3871 (4 dp).
    // σ: 24 returns of ±a, a = ln(80.80 / 80.00) = ln 1.01. Seed: sample variance of the first 10
    // (mean 0) = 10a²/9; then 14 EWMA steps with r² = a²: σ² = a² + 0.94^14 (10a²/9 − a²)
    //   = a² (1 + 0.94^14 / 9).
    double a = Math.log(1.01);
    double sigma = a * Math.sqrt(1 + Math.pow(0.94, 14) / 9);
    assertTrue(
        report.contains(
            String.format(
                "as of 2025-04-07: σ %.6f (EWMA), ADV20 15500.0000, VWAP20 80.3871", sigma)),
        report);
  }

  @Test
  @DisplayName("a dry run reports and writes nothing; undo removes what an import wrote")
  void aDryRunWritesNothingAndAnImportCanBeUndone() throws Exception {
    String dry =
        run("import", "--dry-run", "--instrument", "CCER", FILES.resolve("ccer-en.csv").toString());
    assertTrue(dry.contains("dry run, nothing written"), dry);
    assertTrue(dry.contains("25 days written"), dry);
    assertEquals(List.of("0"), row("SELECT count(*) FROM daily_bars"));
    run("import", "--instrument", "CCER", FILES.resolve("ccer-en.csv").toString());
    assertEquals(List.of("25"), row("SELECT count(*) FROM daily_bars"));
    String list = run("import", "list");
    assertTrue(list.contains("#1 ccer-en.csv [CCER] 2025-03-03 … 2025-04-04 written 25"), list);
    assertEquals("import #1 undone: 25 days removed\n", run("import", "undo", "1"));
    assertEquals(List.of("0"), row("SELECT count(*) FROM daily_bars"));
  }

  @Test
  @DisplayName("trades are journaled with their own times, bars follow; refused ones by line; undo")
  void tradesAreJournaledWithTheirOwnTimes() throws Exception {
    String report = run("import", FILES.resolve("cea-trades.csv").toString());
    assertTrue(report.contains("(trades, UTF-8)"), report);
    assertTrue(report.contains("6 trades, 4 journaled, 2 refused"), report);
    assertTrue(report.contains("cea-trades.csv line 5: 2025-06-03 OUTSIDE_LIMIT_BAND"), report);
    assertTrue(report.contains("cea-trades.csv line 7: 2025-06-07 CLOSED_DAY"), report);
    // 2025-06-02: 70.00 × 100 at 09:31, 70.50 × 200 at 10:00 (Shanghai), 70.20 × 300 at 14:59:
    // open 70.00, high 70.50, low 70.00, close 70.20, volume 600,
    // notional 7,000 + 14,100 + 21,060 = 42,160.
    assertEquals(
        List.of("70.0000", "70.5000", "70.0000", "70.2000", "600.0000", "42160.0000", "3"),
        row(
            "SELECT open, high, low, close, volume, notional, trades FROM daily_bars "
                + "WHERE instrument = 'CEA' AND day = '2025-06-02'"));
    assertTrue(
        run("import", FILES.resolve("cea-trades.csv").toString())
            .contains("already imported as #1"));
    run("import", "undo", "1");
    assertEquals(
        List.of("0", "0"),
        row("SELECT (SELECT count(*) FROM ticks), (SELECT count(*) FROM daily_bars)"));
  }

  @Test
  @DisplayName(
      "the trading day under way and later ones are refused by line; completed days are imported")
  void onlyCompletedDaysAreHistory() throws Exception {
    LocalDate today = LocalDate.now(TradingCalendar.ZONE);
    LocalDate completed = today.minusDays(1);
    while (!TradingCalendar.exchange().isTradingDay(completed)) {
      completed = completed.minusDays(1);
    }
    LocalDate tomorrow = today.plusDays(1);
    Path trades = dataDir.resolve("cea-recent-trades.csv");
    Files.writeString(
        trades,
        "ts,instrument,price,quantity\n"
            + completed
            + " 10:00:00,CEA,70.00,100\n"
            + today
            + " 10:00:00,CEA,70.10,100\n"
            + tomorrow
            + " 10:00:00,CEA,70.20,100\n");
    String report = run("import", trades.toString());
    assertTrue(report.contains("3 trades, 1 journaled, 2 refused"), report);
    assertTrue(report.contains("cea-recent-trades.csv line 3: " + today + " NOT_OVER"), report);
    assertTrue(report.contains("cea-recent-trades.csv line 4: " + tomorrow + " NOT_OVER"), report);
    assertEquals(
        List.of("1", completed.toString(), "1"),
        row(
            "SELECT count(*), max((ts AT TIME ZONE 'Asia/Shanghai')::date), "
                + "(SELECT count(*) FROM daily_bars WHERE instrument = 'CEA') FROM ticks"));

    Path bars = dataDir.resolve("ccer-recent.csv");
    Files.writeString(
        bars,
        "date,open,high,low,close,volume,amount\n"
            + completed
            + ",80.00,80.00,80.00,80.00,1000,80000.00\n"
            + today
            + ",80.10,80.10,80.10,80.10,1000,80100.00\n");
    String barsReport = run("import", "--instrument", "CCER", bars.toString());
    assertTrue(barsReport.contains("1 days written"), barsReport);
    assertTrue(barsReport.contains("ccer-recent.csv line 3: " + today + " NOT_OVER"), barsReport);
    assertEquals(
        List.of("1", completed.toString()),
        row("SELECT count(*), max(day) FROM daily_bars WHERE instrument = 'CCER'"));
  }

  private String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    new HistoryCommand(settings, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(rest);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private List<String> row(String sql) throws Exception {
    try (Connection connection = TestDatabase.connect(pgUrl);
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      if (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          Object value = rows.getObject(i);
          values.add(value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value));
        }
      }
      return values;
    }
  }

  private String checksum() throws Exception {
    return row("SELECT md5(string_agg(instrument || day || open || high || low || close || volume || notional "
            + "|| coalesce(import_id, 0), ',' ORDER BY instrument, day)) FROM daily_bars")
        .get(0);
  }
}
