package io.greenpledge.bench;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.wire.Frames;
import io.greenpledge.wire.ValuationJson;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One valuation as a push item, as a hub encodes it once per change ({@code Item.encoded()}): the
 * JSON of the design's fields, wrapped in the item. Run with {@code -prof gc} for what it
 * allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValuationJsonBenchmark {

  private Valuation valuation;
  private Instrument instrument;

  @Setup(Level.Trial)
  public void setUp() {
    Instruments catalog = Instruments.seed();
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    LocalDate today = LocalDate.of(2026, 11, 27);
    PledgeBook book = new PledgeBook(catalog);
    book.upsert(
        BenchBook.pledge(1, "CEA", 12_345.5, 600_000_00L, now),
        BenchBook.quote("CEA", 72.00, 72.00, 0.0175, 150_000, now, today),
        null,
        now,
        today);
    valuation = book.valuation("P1").orElseThrow();
    instrument = catalog.find("CEA").orElseThrow();
  }

  /** The JSON object alone, not encoded. */
  @Benchmark
  public Object tree() {
    return ValuationJson.valuation(valuation, instrument);
  }

  @Benchmark
  public String item() {
    return Frames.item(
        "valuations",
        "valuation",
        1_700_000_000_000L,
        ValuationJson.valuation(valuation, instrument).encode());
  }
}
