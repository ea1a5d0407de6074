package io.greenpledge.bench;

import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDate;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The risk engine's start: every stored pledge upserted into a fresh book at one instant, as {@code
 * RiskVerticle.loadBook} does. Run with {@code -prof gc} for what a load allocates; after each
 * iteration the heap the loaded book holds (after a full collection) is printed as {@code book
 * holds}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class BookLoadBenchmark {

  @Param({"1000000"})
  int pledges;

  private Instruments catalog;
  private Pledge[] book;
  private Quote quote;
  private final Instant now = Instant.parse("2026-11-27T02:00:00Z");
  private final LocalDate today = LocalDate.of(2026, 11, 27);
  private PledgeBook loaded;

  @Setup(Level.Trial)
  public void setUp() {
    catalog = Instruments.seed();
    quote = BenchBook.quote("CEA", 72.00, 72.00, 0.0175, 150_000, now, today);
    SplittableRandom random = new SplittableRandom(42);
    book = new Pledge[pledges];
    for (int i = 0; i < pledges; i++) {
      double quantity = 1_000 + random.nextInt(200_000);
      double coverage = 1.25 + random.nextDouble() * 0.5;
      book[i] =
          BenchBook.pledge(i, "CEA", quantity, Math.round(quantity * 72.00 / coverage * 100), now);
    }
  }

  @Benchmark
  public PledgeBook load() {
    PledgeBook fresh = new PledgeBook(catalog);
    for (Pledge pledge : book) {
      fresh.upsert(pledge, quote, null, now, today);
    }
    loaded = fresh;
    return fresh;
  }

  @TearDown(Level.Iteration)
  public void heldByTheBook() {
    long with = usedAfterGc();
    loaded = null;
    long without = usedAfterGc();
    System.out.printf("book holds %.1f MB%n", (with - without) / 1e6);
  }

  private static long usedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
