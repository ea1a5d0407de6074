package io.greenpledge.bench;

import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.limits.SystemExposure;
import io.greenpledge.market.Instruments;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.wire.PortfolioJson;
import io.greenpledge.wire.SystemJson;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The other reads over the whole book, as their workers run them: {@code GET /portfolio} for a
 * bank's viewer (half the book) and for the regulator (every bank), and the regulator's {@code GET
 * /system/exposure}. The book is {@link StressBenchmark}'s: 1,000,000 pledges on CEA and CQEA, two
 * banks. Run with {@code -prof gc} for what one answer allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class BookReadsBenchmark {

  @Param({"1000000"})
  int pledges;

  private ValuationBoard board;
  private final Map<String, BigDecimal> adv20 =
      Map.of("CEA", BigDecimal.valueOf(150_000), "CQEA", BigDecimal.valueOf(5_000));
  private final Instant now = Instant.parse("2026-11-27T02:00:00Z");

  @Setup(Level.Trial)
  public void setUp() {
    Instruments catalog = Instruments.seed();
    LocalDate today = LocalDate.of(2026, 11, 27);
    PledgeBook book =
        BenchBook.twoInstruments(
            catalog, BenchBook.twoInstrumentQuotes(now, today), pledges, now, today);
    board = new ValuationBoard(book);
    System.gc();
  }

  /** What RiskApi's portfolio worker does for a bank's viewer. */
  @Benchmark
  public JsonObject portfolioBank() {
    return PortfolioJson.of(board.seenBy("DEMO-A"::equals), Optional.of("DEMO-A"), now);
  }

  /** The same for the regulator: every bank. */
  @Benchmark
  public JsonObject portfolioRegulator() {
    return PortfolioJson.of(board.seenBy(bank -> true), Optional.empty(), now);
  }

  /** What SystemApi's exposure worker does. */
  @Benchmark
  public JsonObject exposure() {
    return SystemJson.exposure(SystemExposure.ofBook(board.seenBy(bank -> true), adv20), now);
  }
}
