package io.greenpledge.push;

import io.greenpledge.bench.BenchBook;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.greenpledge.valuation.PledgeBook;
import java.lang.management.ManagementFactory;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One event loop's push hub at a large book: a mark change that revalues every pledge on the
 * instrument (1,000,000 pledges of 10 banks, revalued before each operation and not measured)
 * reaches the hub as one batch, and the hub reads the valuations of the banks its desk sees from
 * the book and sends its window. The hub has one desk: of one bank, subscribed to its valuations
 * ({@code bank}: 100,000 of the batch's pledges are its own), or to prices only ({@code prices}).
 * After the run, the heap the hub holds (its items and the valuations they keep, after a full
 * collection) is printed as {@code hub holds} (the book is held apart from the hub, so it is not
 * counted).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xms8g", "-Xmx8g"})
public class HubBenchmark {

  private static final Settings.Push SETTINGS =
      new Settings.Push(
          Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1), 3);

  @Param({"1000000"})
  int pledges;

  @Param({"10"})
  int banks;

  @Param({"bank", "prices"})
  String desk;

  private final Instant now = Instant.parse("2026-11-27T02:00:00Z");
  private final LocalDate today = LocalDate.of(2026, 11, 27);
  private PledgeBook book;
  private PushHub hub;
  private Sink sink;
  private boolean rising;
  private ValuationBatch next;

  @Setup(Level.Trial)
  public void setUp() {
    Instruments catalog = Instruments.seed();
    book = new PledgeBook(catalog);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < pledges; i++) {
      double quantity = 1_000 + random.nextInt(200_000);
      double coverage = 1.25 + random.nextDouble() * 0.5;
      book.upsert(
          BenchBook.pledge(
              i,
              "BANK-" + (i % banks),
              "CEA",
              quantity,
              Math.round(quantity * 72.00 / coverage * 100),
              now),
          BenchBook.quote("CEA", 72.00, 72.00, 0.0175, 150_000, now, today),
          null,
          now,
          today);
    }
    hub =
        new PushHub(
            null,
            catalog,
            new QuoteBoard(),
            new ValuationBoard(book),
            null,
            SETTINGS,
            new Metrics());
    Subscription subscription =
        desk.equals("bank")
            ? Subscription.none("BANK-0").withValuations(true)
            : Subscription.none("BANK-0").withAllPrices(true);
    sink = new Sink(subscription);
    hub.join(sink);
  }

  /**
   * The engine's revaluation before each batch (not measured): a mark change of every pledge, up
   * and down in turn, whose batch names the pledges revalued as the engine publishes it.
   */
  @Setup(Level.Invocation)
  public void markChange() {
    rising = !rising;
    next =
        new ValuationBatch(
            "CEA",
            book.revalue(
                    BenchBook.quote(
                        "CEA", rising ? 72.50 : 72.00, 72.00, 0.0175, 150_000, now, today),
                    now,
                    today)
                .revalued());
  }

  /** One mark change's batch through the hub, and the window that follows it. */
  @Benchmark
  public long batchAndWindow() {
    hub.onValuations(next);
    hub.flush();
    return sink.bytes;
  }

  @TearDown(Level.Trial)
  public void heldByTheHub() {
    next = null;
    long with = usedAfterGc();
    hub = null;
    long without = usedAfterGc();
    System.out.printf(
        "hub holds %.1f MB; the desk was sent %.1f MB%n", (with - without) / 1e6, sink.bytes / 1e6);
  }

  private static long usedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A desk that is always writable and only counts what it is sent. */
  private static final class Sink extends RecordingDesk {
    Sink(Subscription subscription) {
      super(subscription);
    }

    @Override
    public void sendUpdate(List<byte[]> parts, long ts) {
      parts.forEach(part -> bytes += part.length);
    }
  }
}
