package io.greenpledge.bench;

import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Stress;
import io.greenpledge.wire.RiskJson;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
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
 * {@code POST /stress} as its worker runs it: the current valuations of the caller's scope read
 * from the engine's book, revalued under a scenario (CEA −30 %, 3σ for the rest), the per-bank
 * totals and the worst 100 pledges as JSON. {@code bank}: a bank's viewer (half the book); {@code
 * regulator}: every bank. Pledges sit on two instruments and two banks; run with {@code -prof gc}
 * for what one answer allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class StressBenchmark {

  @Param({"1000000"})
  int pledges;

  private ValuationBoard board;
  private Map<String, Quote> quotes;
  private Instruments catalog;
  private final Stress.Scenario scenario = new Stress.Scenario(Map.of("CEA", -0.30), 3);

  @Setup(Level.Trial)
  public void setUp() {
    catalog = Instruments.seed();
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    LocalDate today = LocalDate.of(2026, 11, 27);
    quotes = BenchBook.twoInstrumentQuotes(now, today);
    PledgeBook book = BenchBook.twoInstruments(catalog, quotes, pledges, now, today);
    board = new ValuationBoard(book);
    System.gc();
  }

  @Benchmark
  public JsonObject bank() {
    return answer("DEMO-A");
  }

  @Benchmark
  public JsonObject regulator() {
    return answer(null);
  }

  /** What RiskApi.runStress's worker does (a null bank: every bank). */
  private JsonObject answer(String bank) {
    return RiskJson.stress(
        Stress.run(
            board.seenBy(b -> bank == null || bank.equals(b)), quotes, catalog, scenario, 100));
  }
}
