package io.greenpledge.valuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The book revalues only what a quote changes, and what it keeps is what a valuation from scratch
 * would give: checked against the valuer itself, run on every pledge for every quote.
 */
class PledgeBookTest {

  private final Instruments catalog = Instruments.seed();
  private static final int BASES = MarkBasis.values().length;

  /**
   * A book loaded at one instant keeps one market per quote and basis, not one per pledge (a
   * million pledges loaded at start would otherwise hold a million copies of the same inputs).
   */
  @Test
  void pledgesValuedAtTheSameInstantFromTheSameQuoteShareTheirMarket() {
    PledgeBook book = new PledgeBook(catalog);
    Quote quote = Fixtures.quote("CEA", 72.00, 71.00, 0.0175, 150_000, false, 0, 1, Fixtures.TODAY);
    for (String id : List.of("P1", "P2", "P3")) {
      book.upsert(
          Fixtures.pledge(id, "BANK-A", "CEA", 1_000, 50_000),
          quote,
          null,
          Fixtures.NOW,
          Fixtures.TODAY);
    }
    Instant later = Fixtures.NOW.plusSeconds(1);
    book.upsert(
        Fixtures.pledge("P4", "BANK-A", "CEA", 1_000, 50_000), quote, null, later, Fixtures.TODAY);
    Valuation first = book.valuation("P1").orElseThrow();
    assertSame(first.market(), book.valuation("P3").orElseThrow().market());
    // a later instant is a market of its own: each valuation still says when it was made
    assertEquals(Fixtures.NOW, first.valuedAt());
    assertEquals(later, book.valuation("P4").orElseThrow().valuedAt());
  }

  /**
   * The engine's push batch names the pledges a mark change revalued and reads each back from the
   * book: the same pledges and figures as the built valuations of a twin book, the same status
   * changes, a pledge released since left out, and a pledge moved to another slot since still read
   * as itself.
   */
  @Test
  void aRevaluationNamesThePledgesItRevaluedAndReadsThemBackFromTheBook() {
    PledgeBook engine = new PledgeBook(catalog);
    PledgeBook twin = new PledgeBook(catalog);
    Quote before = Fixtures.quote("CEA", 72.00, 0.02, 100_000);
    List<Pledge> pledges = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pledges.add(
          Fixtures.pledge(
              "P" + i, i % 2 == 0 ? "BANK-A" : "BANK-B", "CEA", 1_000, 30_000 + i * 5_000));
    }
    pledges.add(Fixtures.pledge("OTHER", "BANK-A", "CCER", 1_000, 30_000));
    for (PledgeBook book : List.of(engine, twin)) {
      for (Pledge p : pledges) {
        Quote quote =
            p.instrument().equals("CEA") ? before : Fixtures.quote("CCER", 60.00, 0.02, 100_000);
        book.upsert(p, quote, null, Fixtures.NOW, Fixtures.TODAY);
      }
    }
    Quote after = Fixtures.quote("CEA", 55.00, 0.02, 100_000);
    Instant now = Fixtures.NOW.plusSeconds(1);
    List<Valuation> built = new ArrayList<>();
    List<Transition> expected = twin.revalue(after, now, Fixtures.TODAY, built::add);
    PledgeBook.Revaluation revaluation = engine.revalue(after, now, Fixtures.TODAY);
    PledgeBook.Revalued revalued = revaluation.revalued();

    assertEquals(10, built.size(), "every CEA pledge, not the CCER one");
    assertEquals(built.size(), revalued.size());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < revalued.size(); i++) {
      assertEquals(built.get(i), revalued.valuation(i));
      assertEquals(built.get(i).bank(), revalued.bank(i));
      ids.add(revalued.valuation(i).pledgeId());
    }
    assertTrue(!expected.isEmpty(), "the fall crosses some pledge's line");
    assertEquals(
        expected.stream().map(t -> t.pledge().id() + " " + t.from() + ">" + t.to()).toList(),
        revaluation.transitions().stream()
            .map(t -> t.pledge().id() + " " + t.from() + ">" + t.to())
            .toList());
    for (Transition t : revaluation.transitions()) {
      assertEquals(t.to(), t.valuation().status());
      assertEquals(t.pledge().id(), t.valuation().pledgeId());
    }

    // P0 released: the shelf's last pledge moves into its slot, and the batch still reads it
    String last = ids.get(ids.size() - 1);
    engine.upsert(Fixtures.released(pledges.get(0)), after, null, now, Fixtures.TODAY);
    assertEquals(null, revalued.valuation(ids.indexOf("P0")));
    assertEquals(last, revalued.valuation(ids.indexOf(last)).pledgeId());
    assertEquals(9, revalued.all().size());
  }

  /** The live pledges per bank follow pledging, updates, releases and a pledge moved to a bank. */
  @Test
  void theLivePledgesOfEachBankAreCounted() {
    PledgeBook book = new PledgeBook(catalog);
    Quote quote = Fixtures.quote("CEA", 72.00, 0.0175, 150_000);
    java.util.function.Consumer<Pledge> upsert =
        p -> book.upsert(p, quote, null, Fixtures.NOW, Fixtures.TODAY);
    for (int i = 0; i < 5; i++) {
      upsert.accept(Fixtures.pledge("P" + i, i < 3 ? "BANK-A" : "BANK-B", "CEA", 1_000, 50_000));
    }
    assertEquals(3, book.size("BANK-A"));
    assertEquals(2, book.size("BANK-B"));
    assertEquals(0, book.size("BANK-C"));
    upsert.accept(Fixtures.pledge("P0", "BANK-A", "CEA", 2_000, 50_000)); // an update
    assertEquals(3, book.size("BANK-A"));
    upsert.accept(Fixtures.released(Fixtures.pledge("P1", "BANK-A", "CEA", 1_000, 50_000)));
    upsert.accept(Fixtures.released(Fixtures.pledge("P1", "BANK-A", "CEA", 1_000, 50_000)));
    assertEquals(2, book.size("BANK-A"), "released once, however often the release comes");
    upsert.accept(Fixtures.pledge("P2", "BANK-C", "CEA", 1_000, 50_000));
    assertEquals(1, book.size("BANK-A"));
    assertEquals(1, book.size("BANK-C"));
    assertEquals(book.size(), book.size("BANK-A") + book.size("BANK-B") + book.size("BANK-C"));
  }

  /** What a bank's desk, portfolio or stress run reads of the book: its own pledges only. */
  @Test
  void theValuationsOfTheBanksAskedForAreAllThatIsRead() {
    PledgeBook book = new PledgeBook(catalog);
    Quote quote = Fixtures.quote("CEA", 72.00, 71.00, 0.0175, 150_000, false, 0, 1, Fixtures.TODAY);
    for (int i = 0; i < 30; i++) {
      book.upsert(
          Fixtures.pledge("P" + i, i % 3 == 0 ? "BANK-B" : "BANK-A", "CEA", 1_000, 50_000),
          quote,
          null,
          Fixtures.NOW,
          Fixtures.TODAY);
    }
    Set<String> seen = new HashSet<>();
    for (Valuation v : book.valuations("BANK-B"::equals)) {
      assertEquals("BANK-B", v.bank());
      seen.add(v.pledgeId());
    }
    assertEquals(10, seen.size());
    int all = 0;
    for (Valuation v : book.valuations()) {
      all++;
    }
    assertEquals(30, all);
  }

  @Test
  void aTradeThatMovesNoMarkHandsOutNoValuation() {
    PledgeBook book = new PledgeBook(catalog);
    Pledge last =
        Fixtures.withBasis(
            Fixtures.pledge("P-LAST", "BANK-A", "CEA", 1_000, 50_000), MarkBasis.LAST);
    Pledge conservative =
        Fixtures.withBasis(
            Fixtures.pledge("P-CONS", "BANK-A", "CEA", 1_000, 50_000), MarkBasis.CONSERVATIVE);
    Quote first = Fixtures.quote("CEA", 72.00, 71.00, 0.0175, 150_000, false, 0, 1, Fixtures.TODAY);
    book.upsert(last, first, null, Fixtures.NOW, Fixtures.TODAY);
    book.upsert(conservative, first, null, Fixtures.NOW, Fixtures.TODAY);

    // the same inputs again (a later tick at the same price): nothing to publish
    assertEquals(
        List.of(),
        handedOut(
            book,
            Fixtures.quote("CEA", 72.00, 71.00, 0.0175, 150_000, false, 0, 2, Fixtures.TODAY)));
    // a trade above VWAP moves the last-trade mark, not min(last, VWAP20)
    assertEquals(
        List.of("P-LAST"),
        handedOut(
            book,
            Fixtures.quote("CEA", 72.40, 71.00, 0.0175, 150_000, false, 0, 3, Fixtures.TODAY)));
    // a trade below VWAP moves both
    assertEquals(
        Set.of("P-LAST", "P-CONS"),
        Set.copyOf(
            handedOut(
                book,
                Fixtures.quote(
                    "CEA", 70.10, 71.00, 0.0175, 150_000, false, 0, 4, Fixtures.TODAY))));
    // σ moves every haircut; the next day moves the term factor of an expiring right (here: none)
    assertEquals(
        2,
        handedOut(
                book,
                Fixtures.quote("CEA", 70.10, 71.00, 0.0180, 150_000, false, 0, 5, Fixtures.TODAY))
            .size());
    assertEquals(
        2,
        handedOut(
                book,
                Fixtures.quote(
                    "CEA", 70.10, 71.00, 0.0180, 150_000, false, 0, 6, Fixtures.TODAY.plusDays(1)))
            .size());
  }

  @Test
  void whatTheBookKeepsIsWhatTheValuerGivesFromScratchAfterEveryQuote() {
    SplittableRandom random = new SplittableRandom(22);
    String expiring =
        catalog.all().stream().filter(Instrument::expiring).findFirst().orElseThrow().id();
    List<String> instruments = List.of("CEA", expiring);
    Map<String, BankTerms> terms = new HashMap<>();
    PledgeBook book = new PledgeBook(catalog);
    book.useTerms(p -> terms.getOrDefault(p.id(), BankTerms.NONE));
    Map<String, Quote> quotes = new HashMap<>();
    LocalDate today = Fixtures.TODAY;
    for (String id : instruments) {
      double reference = catalog.find(id).orElseThrow().referencePrice();
      quotes.put(id, Fixtures.quote(id, reference, reference, 0.02, 50_000, false, 0, 0, today));
    }
    List<Pledge> pledges = new ArrayList<>();
    Map<String, Valuation> reference = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      String instrument = instruments.get(random.nextInt(2));
      double price = quotes.get(instrument).lastTrade();
      double quantity = 100 + random.nextInt(200_000) + random.nextInt(10_000) / 10_000.0;
      long outstanding = Math.round(quantity * price / (1.2 + random.nextDouble() * 0.6));
      Pledge p =
          Fixtures.pledge(
              "P" + i, i % 2 == 0 ? "BANK-A" : "BANK-B", instrument, quantity, outstanding);
      p =
          Fixtures.withBasis(
              p,
              List.of(MarkBasis.LAST, MarkBasis.CONSERVATIVE, MarkBasis.VWAP20)
                  .get(random.nextInt(3)));
      if (random.nextInt(4) == 0) {
        p = Fixtures.withCash(p, random.nextInt(1_000_000));
      }
      if (instrument.equals(expiring)) {
        p =
            Fixtures.withTerm(
                p,
                today.minusDays(100 + random.nextInt(300)),
                today.plusDays(5 + random.nextInt(400)));
      }
      if (random.nextInt(5) == 0) {
        terms.put(
            p.id(), new BankTerms(300_000 + random.nextInt(300_000), random.nextInt(3) * 50_000));
      }
      pledges.add(p);
      book.upsert(p, quotes.get(instrument), null, Fixtures.NOW, today);
      reference.put(p.id(), book.valuation(p.id()).orElseThrow());
    }
    int handedOut = 0;
    int kept = 0;
    int moved = 0;
    for (int round = 0; round < 3_000; round++) {
      String instrument = instruments.get(random.nextInt(2));
      Quote before = quotes.get(instrument);
      double last = before.lastTrade();
      double vwap = before.vwap20();
      double sigma = before.sigma();
      double adv20 = before.adv20();
      boolean stale = before.stale();
      int staleDays = before.staleDays();
      switch (random.nextInt(10)) {
        case 0 -> vwap = Math.round(last * (0.98 + random.nextDouble() * 0.04) * 100) / 100.0;
        case 1 -> sigma = 0.01 + random.nextInt(30) / 1000.0;
        case 2 -> adv20 = 1_000 + random.nextInt(100_000);
        case 3 -> {
          stale = !stale;
          staleDays = stale ? random.nextInt(3) : 0;
        }
        case 4 -> today = today.plusDays(1);
        case 5 -> {} // the same inputs again
        default ->
            last =
                Math.max(
                    0.01, Math.round(last * (0.99 + random.nextDouble() * 0.02) * 100) / 100.0);
      }
      if (random.nextInt(50) == 0) {
        // a limit review changes some pledges' terms: the engine upserts exactly those
        Pledge p = pledges.get(random.nextInt(pledges.size()));
        terms.put(p.id(), new BankTerms(random.nextInt(600_000), 0));
        book.upsert(p, quotes.get(p.instrument()), null, Fixtures.NOW, today);
        reference.put(p.id(), book.valuation(p.id()).orElseThrow());
      }
      if (random.nextInt(10) == 0) {
        // released and pledged again: the shelf's last slot moves into the freed one, with every
        // input the engine keeps for it, and the pledge comes back at the end
        Pledge p = pledges.get(random.nextInt(pledges.size()));
        book.upsert(Fixtures.released(p), quotes.get(p.instrument()), null, Fixtures.NOW, today);
        assertTrue(book.valuation(p.id()).isEmpty());
        book.upsert(p, quotes.get(p.instrument()), null, Fixtures.NOW, today);
        reference.put(p.id(), book.valuation(p.id()).orElseThrow());
        moved++;
      }
      Quote quote =
          Fixtures.quote(instrument, last, vwap, sigma, adv20, stale, staleDays, round + 1, today);
      quotes.put(instrument, quote);
      Instant now = Fixtures.NOW.plusSeconds(round);
      Set<String> out = new HashSet<>();
      book.revalue(quote, now, today, v -> out.add(v.pledgeId()));
      for (Pledge p : pledges) {
        if (!p.instrument().equals(instrument)) {
          assertTrue(!out.contains(p.id()));
          continue;
        }
        Valuation previous = reference.get(p.id());
        Valuation fresh =
            Valuer.value(
                p,
                catalog.find(instrument).orElseThrow(),
                MarketInputs.of(quote, p.basis()),
                previous.status(),
                today,
                now,
                terms.getOrDefault(p.id(), BankTerms.NONE));
        Valuation kept1 = book.valuation(p.id()).orElseThrow();
        assertEquals(figures(fresh), figures(kept1), p.id() + " after quote " + round);
        if (!figures(fresh).equals(figures(previous))) {
          assertTrue(out.contains(p.id()), p.id() + " changed without being handed out");
        }
        if (out.contains(p.id())) {
          assertEquals(fresh, kept1);
          handedOut++;
        } else {
          assertEquals(previous, kept1, "a pledge not handed out keeps its valuation");
          kept++;
        }
        reference.put(p.id(), kept1);
      }
    }
    // both branches really ran
    assertTrue(handedOut > 10_000 && kept > 10_000, handedOut + " handed out, " + kept + " kept");
    assertTrue(moved > 100, moved + " released and pledged again");
    // the markets the pledges were valued at are dropped once no pledge uses them
    for (String id : instruments) {
      assertTrue(book.marketNumbers(id) <= 400 + BASES, id + ": " + book.marketNumbers(id));
    }
  }

  /**
   * Readers on other threads, while the engine revalues, moves pledges between instruments and
   * releases and re-adds them, see only whole valuations of the pledge they asked for: figures that
   * recompute from that valuation's own served fields (a torn read would mix two marks), and a
   * pledge that is never released is always there.
   */
  @Test
  void readersSeeWholeValuationsOfThePledgeTheyAskForWhileTheEngineWrites() throws Exception {
    PledgeBook book = new PledgeBook(catalog);
    List<String> instruments = List.of("CEA", "CQEA");
    Map<String, Quote> quotes = new HashMap<>();
    for (String id : instruments) {
      quotes.put(id, Fixtures.quote(id, 50.00, 50.00, 0.02, 50_000, false, 0, 0, Fixtures.TODAY));
    }
    int pledges = 2_000;
    for (int i = 0; i < pledges; i++) {
      book.upsert(
          Fixtures.withCash(
              Fixtures.pledge("P" + i, "BANK-A", instruments.get(i % 2), 1_000 + i, 30_000 + i),
              i * 7L),
          quotes.get(instruments.get(i % 2)),
          null,
          Fixtures.NOW,
          Fixtures.TODAY);
    }
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ConcurrentLinkedQueue<String> wrong =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    Runnable reader =
        () -> {
          SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
          while (!done.get()) {
            int i = random.nextInt(pledges);
            String id = "P" + i;
            java.util.Optional<Valuation> read;
            try {
              read = book.valuation(id);
            } catch (RuntimeException e) {
              wrong.add(id + ": " + e);
              return;
            }
            reads.incrementAndGet();
            if (read.isEmpty()) {
              if (i % 10 != 0) { // only every tenth pledge is ever released
                wrong.add(id + " missing");
              }
              continue;
            }
            Valuation v = read.get();
            long marketValue = Exact.mulDiv(v.quantityUnits(), v.market().markCents(), 10_000);
            long collateral = marketValue + v.cashMarginFen();
            if (!v.pledgeId().equals(id)
                || v.cashMarginFen() != i * 7L
                || v.marketValueFen() != marketValue
                || v.coverageMicro() != Exact.mulDiv(collateral, 1_000_000, v.outstandingFen())
                || v.eligibleFen()
                    != Exact.mulDiv(marketValue, 1_000_000 - v.haircutMicro(), 1_000_000)
                        + v.cashMarginFen()) {
              wrong.add(id + " read as " + v);
            }
          }
        };
    List<Thread> readers = List.of(new Thread(reader), new Thread(reader));
    readers.forEach(Thread::start);
    SplittableRandom random = new SplittableRandom(7);
    try {
      for (int round = 1; round <= 4_000; round++) {
        String instrument = instruments.get(round % 2);
        double price = 40 + random.nextInt(2_000) / 100.0;
        Quote quote =
            Fixtures.quote(instrument, price, price, 0.02, 50_000, false, 0, round, Fixtures.TODAY);
        quotes.put(instrument, quote);
        book.revalue(quote, Fixtures.NOW.plusSeconds(round), Fixtures.TODAY, v -> {});
        int i = random.nextInt(pledges);
        String moved = instruments.get(random.nextInt(2));
        Pledge p =
            Fixtures.withCash(
                Fixtures.pledge("P" + i, "BANK-A", moved, 1_000 + i, 30_000 + i), i * 7L);
        if (i % 10 == 0 && random.nextBoolean()) {
          book.upsert(Fixtures.released(p), quotes.get(moved), null, Fixtures.NOW, Fixtures.TODAY);
        }
        book.upsert(p, quotes.get(moved), null, Fixtures.NOW, Fixtures.TODAY);
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertEquals(List.of(), List.copyOf(wrong).subList(0, Math.min(5, wrong.size())));
    assertTrue(reads.get() > 10_000, reads.get() + " reads");
  }

  /** Everything a valuation serves but the provenance of the tick behind its mark. */
  private static List<Object> figures(Valuation v) {
    return List.of(
        v.marketValueFen(),
        v.haircutMicro(),
        v.modelHaircutMicro(),
        v.eligibleFen(),
        v.ltvMicro(),
        v.coverageMicro(),
        v.status(),
        v.topUpFen(),
        v.topUpQuantityUnits(),
        v.horizonDays(),
        v.termFactorMicro(),
        v.moveToNextLineMicro(),
        v.bankTerms(),
        v.market().markCents(),
        v.market().basis(),
        v.market().stale());
  }

  private static List<String> handedOut(PledgeBook book, Quote quote) {
    List<String> ids = new ArrayList<>();
    book.revalue(quote, quote.asOf(), quote.vwapTo(), v -> ids.add(v.pledgeId()));
    return ids;
  }
}
