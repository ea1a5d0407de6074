package io.greenpledge.market;

import static io.greenpledge.market.TradingCalendarTest.shanghai;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Validation rules, marks and staleness of the live market, without any I/O. */
class MarketTest {

  private static final Instant FRIDAY_1000 = shanghai("2026-11-27T10:00:00");
  private final Instruments catalog = Instruments.seed();
  private final TradingCalendar calendar = TradingCalendar.exchange();

  private Market market() {
    Market market =
        new Market(
            catalog,
            calendar,
            new TickValidator(Duration.ofSeconds(5), calendar),
            MarkBasis.CONSERVATIVE);
    // Yesterday (Thursday) CEA closed at 70.00 on 100,000 t.
    market.instrument("CEA").orElseThrow().restore(List.of(bar("2026-11-26", 70.0, 100_000)), null);
    return market;
  }

  private static DailyBar bar(String day, double close, double volume) {
    LocalDate date = LocalDate.parse(day);
    return new DailyBar(
        date,
        close,
        close,
        close,
        close,
        date.atTime(15, 0).atZone(TradingCalendar.ZONE).toInstant(),
        volume,
        close * volume);
  }

  private static Tick tick(String instrument, double price, Instant ts, long seq) {
    return new Tick(instrument, price, 1000, ts, "test", seq);
  }

  private static Optional<RejectReason> reasonOf(Market market, Tick tick, Instant now) {
    return market.accept(List.of(tick), now).get(0).rejection();
  }

  @Test
  void acceptsAGoodTick() {
    assertEquals(
        Optional.empty(), reasonOf(market(), tick("CEA", 71.0, FRIDAY_1000, 1), FRIDAY_1000));
  }

  @Test
  void aResentTickThatIsStoredIsADuplicateAndASkippedOneIsOutOfOrder() {
    Market market = market();
    market.accept(
        List.of(
            tick("CEA", 71.0, FRIDAY_1000, 1),
            tick("CEA", 71.1, FRIDAY_1000, 2),
            tick("CEA", 71.2, FRIDAY_1000, 5)),
        FRIDAY_1000);
    assertEquals(
        Optional.of(RejectReason.DUPLICATE),
        reasonOf(market, tick("CEA", 71.0, FRIDAY_1000, 1), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.DUPLICATE),
        reasonOf(market, tick("CEA", 71.0, FRIDAY_1000, 5), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.OUT_OF_ORDER),
        reasonOf(market, tick("CEA", 71.0, FRIDAY_1000, 3), FRIDAY_1000));
  }

  @Test
  void aGroupRolledBackAfterAFailedWriteCountsAsNeverSeen() {
    Market market = market();
    market.accept(List.of(tick("CEA", 71.0, FRIDAY_1000, 1)), FRIDAY_1000);
    Market.Checkpoint checkpoint = market.checkpoint();
    market.accept(
        List.of(tick("CEA", 75.0, FRIDAY_1000, 2), tick("CEA", 75.5, FRIDAY_1000, 3)), FRIDAY_1000);
    market.accept(List.of(new Tick("CEA", 76.0, 10, FRIDAY_1000, "other", 9)), FRIDAY_1000);
    market.rollback(checkpoint);

    assertEquals(71.0, market.quote("CEA", FRIDAY_1000).lastTrade());
    assertEquals(Optional.of(1L), market.lastSeq("test"));
    assertEquals(Optional.empty(), market.lastSeq("other"));
    // The resend is judged as new, not as a duplicate of what was never stored.
    assertEquals(
        Optional.empty(), reasonOf(market, tick("CEA", 75.0, FRIDAY_1000, 2), FRIDAY_1000));
    assertEquals(
        Optional.empty(),
        reasonOf(market, new Tick("CEA", 76.0, 10, FRIDAY_1000, "other", 9), FRIDAY_1000));
  }

  @Test
  void acceptsExactlyWhatTheJournalCanHold() {
    Market market = market();
    // numeric(20,4): 0.00001 would be stored as 0 and break the journal's check constraint.
    assertEquals(
        Optional.of(RejectReason.INVALID_QUANTITY),
        reasonOf(market, new Tick("CEA", 71.0, 0.00001, FRIDAY_1000, "test", 1), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.INVALID_QUANTITY),
        reasonOf(market, new Tick("CEA", 71.0, 1e13, FRIDAY_1000, "test", 2), FRIDAY_1000));
    assertEquals(
        Optional.empty(),
        reasonOf(market, new Tick("CEA", 71.0, 0.0001, FRIDAY_1000, "test", 3), FRIDAY_1000));
  }

  @Test
  void rejectsUnknownInstrument() {
    assertEquals(
        Optional.of(RejectReason.UNKNOWN_INSTRUMENT),
        reasonOf(market(), tick("EUA", 71.0, FRIDAY_1000, 1), FRIDAY_1000));
  }

  @Test
  void rejectsNonPositiveAndNonFinitePrices() {
    Market market = market();
    assertEquals(
        Optional.of(RejectReason.INVALID_PRICE),
        reasonOf(market, tick("CEA", 0, FRIDAY_1000, 1), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.INVALID_PRICE),
        reasonOf(market, tick("CEA", -3, FRIDAY_1000, 2), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.INVALID_PRICE),
        reasonOf(market, tick("CEA", Double.NaN, FRIDAY_1000, 3), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.INVALID_PRICE),
        reasonOf(market, tick("CEA", Double.POSITIVE_INFINITY, FRIDAY_1000, 4), FRIDAY_1000));
  }

  @Test
  void rejectsMovesBeyondTheDailyLimitFromThePreviousClose() {
    Market market = market();
    // CEA limit ±10 % of 70.00: band [63.00, 77.00] (± half a tick).
    assertEquals(
        Optional.empty(), reasonOf(market, tick("CEA", 77.00, FRIDAY_1000, 1), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.OUTSIDE_LIMIT_BAND),
        reasonOf(market, tick("CEA", 77.01, FRIDAY_1000, 2), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.OUTSIDE_LIMIT_BAND),
        reasonOf(market, tick("CEA", 62.99, FRIDAY_1000, 3), FRIDAY_1000));
  }

  @Test
  void rejectsTimestampsTooFarInTheFuture() {
    assertEquals(
        Optional.of(RejectReason.FUTURE_TIMESTAMP),
        reasonOf(market(), tick("CEA", 71.0, FRIDAY_1000.plusSeconds(6), 1), FRIDAY_1000));
  }

  @Test
  void rejectsDuplicateAndOutOfOrderSequencesPerSource() {
    Market market = market();
    market.accept(List.of(tick("CEA", 71.0, FRIDAY_1000, 10)), FRIDAY_1000);
    assertEquals(
        Optional.of(RejectReason.DUPLICATE),
        reasonOf(market, tick("CEA", 71.0, FRIDAY_1000, 10), FRIDAY_1000));
    assertEquals(
        Optional.of(RejectReason.OUT_OF_ORDER),
        reasonOf(market, tick("CEA", 71.0, FRIDAY_1000, 9), FRIDAY_1000));
    Tick otherSource = new Tick("CEA", 71.0, 10, FRIDAY_1000, "other", 9);
    assertTrue(market.accept(List.of(otherSource), FRIDAY_1000).get(0).isAccepted());
  }

  @Test
  void rejectsTicksForADayTheMarketHasAlreadyClosed() {
    assertEquals(
        Optional.of(RejectReason.LATE_TIMESTAMP),
        reasonOf(market(), tick("CEA", 71.0, shanghai("2026-11-25T14:00:00"), 1), FRIDAY_1000));
  }

  @Test
  void rejectedTicksNeverMoveThePrice() {
    Market market = market();
    List<TickOutcome> outcomes =
        market.accept(
            List.of(tick("CEA", 71.0, FRIDAY_1000, 1), tick("CEA", 99.0, FRIDAY_1000, 2)),
            FRIDAY_1000);
    assertEquals(71.0, market.quote("CEA", FRIDAY_1000).lastTrade());
    assertEquals(Optional.of(RejectReason.OUTSIDE_LIMIT_BAND), outcomes.get(1).rejection());
  }

  @Test
  void vwap20BlendsTodayWithPriorDaysAndConservativeMarkIsTheLower() {
    Market market = market();
    market.accept(List.of(tick("CEA", 76.0, FRIDAY_1000, 1)), FRIDAY_1000);
    Quote quote = market.quote("CEA", FRIDAY_1000);
    // VWAP20 = (70 × 100,000 + 76 × 1,000) / 101,000 = 70.059406 → 70.0594 (4 places, half-even)
    assertEquals(70.0594, quote.vwap20());
    // the mark is min(76.00, 70.0594) rounded half-even to the tick: 70.06
    assertEquals(70.06, quote.mark());
    assertEquals(MarkBasis.CONSERVATIVE, quote.basis());
    assertEquals(76.0, quote.markFor(MarkBasis.LAST).price());
    // ADV20 counts completed days only: 100,000 / 20.
    assertEquals(5000.0, quote.adv20());
  }

  @Test
  void staleAfterItsWindowOfTradingTimeNotWallTime() {
    Market market = market();
    // CEA goes stale after 2 minutes of trading time without a trade.
    market.accept(
        List.of(tick("CEA", 71.0, shanghai("2026-11-27T14:59:00"), 1)),
        shanghai("2026-11-27T14:59:00"));
    // All weekend passes: still only 1 minute of trading time.
    Quote mondayOpen = market.quote("CEA", shanghai("2026-11-30T09:30:30"));
    assertFalse(mondayOpen.stale());
    assertEquals(MarkBasis.CONSERVATIVE, mondayOpen.basis());
    // Monday 09:31:30: 1 min Friday + 1.5 min Monday > 2 min: stale. The quiet market keeps the
    // conservative figure of the last trades (never the reference 72.00, which is above them):
    // min(71.00, VWAP20 (70 × 100,000 + 71 × 1,000) / 101,000 = 70.0099) = 70.0099 → 70.01; one
    // trading day since the last trade.
    Quote later = market.quote("CEA", shanghai("2026-11-30T09:31:30"));
    assertTrue(later.stale());
    assertEquals(MarkBasis.CONSERVATIVE, later.basis());
    assertEquals(70.01, later.mark());
    assertEquals(1, later.staleDays());
  }

  /** Eleven closes alternating 100 / 101 on consecutive trading days before Friday 2026-11-27. */
  private Market marketWithTenReturns() {
    Market market =
        new Market(
            catalog, calendar, new TickValidator(Duration.ofSeconds(5), calendar), MarkBasis.LAST);
    List<DailyBar> bars = new java.util.ArrayList<>();
    LocalDate day = LocalDate.parse("2026-11-12");
    for (int i = 0; i < 11; i++) {
      bars.add(bar(day.toString(), i % 2 == 0 ? 100.0 : 101.0, 100_000));
      day = day.plusDays(day.getDayOfWeek() == java.time.DayOfWeek.FRIDAY ? 3 : 1);
    }
    market.instrument("CQEA").orElseThrow().restore(bars, null);
    return market;
  }

  @Test
  void aMinusNinePointNineDayRaisesSigmaAtOnce() {
    Market market = marketWithTenReturns();
    Quote before = market.quote("CQEA", FRIDAY_1000);
    // ten returns of ±ln(1.01) = ±0.00995: mean ≈ 0,
    // sample variance ≈ 10 × 0.0000990 / 9 → σ ≈ 0.01049
    assertEquals(SigmaBasis.EWMA, before.sigmaBasis());
    assertEquals(0.01049, before.sigma(), 0.00002);
    // today: 90.10 against the previous close 100.00 (−9.9 %): r = ln(0.901) = −0.104250, and
    // σ² = 0.94 × 0.00011003 + 0.06 × 0.0108680 = 0.00075551 → σ = 0.02749 at once, not tomorrow
    market.accept(List.of(new Tick("CQEA", 90.10, 10, FRIDAY_1000, "test", 1)), FRIDAY_1000);
    Quote after = market.quote("CQEA", FRIDAY_1000);
    assertEquals(0.02749, after.sigma(), 0.00002);
  }

  @Test
  void withFewerThanTenReturnsSigmaIsTheCatalogPrior() {
    Market market = market(); // one bar: no return at all
    Quote quote = market.quote("CEA", FRIDAY_1000);
    assertEquals(SigmaBasis.PRIOR, quote.sigmaBasis());
    assertEquals(catalog.find("CEA").orElseThrow().defaultSigma(), quote.sigma());
  }

  @Test
  void aMarketWithNoTradeInTwoHundredFiftyTradingDaysIsMarkedAtTheLowerOfReferenceAndLastTrade() {
    Market market =
        new Market(
            catalog,
            calendar,
            new TickValidator(Duration.ofSeconds(5), calendar),
            MarkBasis.CONSERVATIVE);
    // CEA last traded at 80.00 on 2025-06-02, more than 250 trading days before Friday 2026-11-27
    Instant then = shanghai("2025-06-02T10:00:00");
    market
        .instrument("CEA")
        .orElseThrow()
        .restore(
            List.of(bar("2025-06-02", 80.0, 1_000)), new Tick("CEA", 80.0, 1_000, then, "old", 1));
    Quote quote = market.quote("CEA", FRIDAY_1000);
    assertEquals(MarkBasis.REFERENCE, quote.basis());
    assertEquals(72.00, quote.mark(), "min(reference 72.00, last trade 80.00)");
  }
}
