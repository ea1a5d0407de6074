package io.greenpledge.bench;

import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Transition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Design target: 1,000,000 pledges revalued in ≤ 200 ms on one core. All pledges sit on CEA, the
 * worst case: one mark change revalues the whole book. Each operation alternates between two marks
 * 3 % apart, so statuses really move across lines (and transitions are built) as in a busy market.
 *
 * <p>{@code revalue} hands each valuation to a black hole; {@code revalueAndCollect} does what the
 * risk verticle does: collects the batch for push (REST reads the book's own volatile slots).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Eight warm-up iterations: under G1 the first fill of a young generation the collector has just
// grown (to about 2.4 GB of the 4 GB heap, untouched memory) slows the third to fifth seconds'
// revaluations to 210-330 ms; three iterations measured the end of it.
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class RevaluationBenchmark {

  @Param({"1000000"})
  int pledges;

  /**
   * {@code none}: no bank has limits. {@code limits}: the engine's terms lookup (pledge id → the
   * bank's haircut floor and concentration add-on), a tenth of the pledges with terms.
   */
  @Param({"none"})
  String terms;

  /**
   * {@code true}: the book is tenured before measuring (a full collection after setup), as in a
   * gateway that has run for a minute; {@code false}: measured from a book just built.
   */
  @Param({"true"})
  boolean tenured;

  private PledgeBook book;
  private Quote[] quotes;
  private int turn;

  @Setup(Level.Trial)
  public void setUp() {
    Instruments catalog = Instruments.seed();
    book = new PledgeBook(catalog);
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    LocalDate today = LocalDate.of(2026, 11, 27);
    quotes = new Quote[] {quote(72.00, now, today), quote(69.84, now, today)};
    SplittableRandom random = new SplittableRandom(42);
    if (terms.equals("limits")) {
      java.util.Map<String, io.greenpledge.valuation.BankTerms> byPledge =
          new java.util.HashMap<>();
      for (int i = 0; i < pledges; i += 10) {
        byPledge.put("P" + i, new io.greenpledge.valuation.BankTerms(350_000, 50_000));
      }
      book.useTerms(p -> byPledge.getOrDefault(p.id(), io.greenpledge.valuation.BankTerms.NONE));
    }
    for (int i = 0; i < pledges; i++) {
      double quantity = 1_000 + random.nextInt(200_000);
      double coverage = 1.25 + random.nextDouble() * 0.5;
      long outstandingCents = Math.round(quantity * 72.00 / coverage * 100);
      Pledge pledge = BenchBook.pledge(i, "CEA", quantity, outstandingCents, now);
      book.upsert(pledge, quotes[0], null, now, today);
    }
    if (tenured) {
      // A gateway's book is loaded at start and tenured after its first young collections; the
      // measured revaluations should not copy the freshly built book between survivor spaces
      // (hundreds of milliseconds per collection, a start-up cost and not a revaluation's).
      System.gc();
    }
  }

  private static Quote quote(double price, Instant now, LocalDate today) {
    return BenchBook.quote("CEA", price, 72.00, 0.0175, 150_000, now, today);
  }

  private Quote nextQuote() {
    return quotes[turn++ & 1];
  }

  @Benchmark
  public List<Transition> revalue(Blackhole blackhole) {
    Quote quote = nextQuote();
    return book.revalue(quote, quote.asOf(), quote.vwapTo(), blackhole::consume);
  }

  /** What the engine does on a mark change: revalues, and names the pledges for the push batch. */
  @Benchmark
  public PledgeBook.Revaluation revalueAndCollect() {
    Quote quote = nextQuote();
    return book.revalue(quote, quote.asOf(), quote.vwapTo());
  }
}
