package io.greenpledge.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  private final Instruments catalog = Instruments.seed();
  private final TradingCalendar always = TradingCalendar.alwaysOpen();
  private static final Instant START = Instant.parse("2026-11-27T02:00:00Z");

  private List<Tick> run(long seed, int seconds) {
    Simulator simulator = new Simulator(catalog, always, seed, Map.of(), 0);
    List<Tick> ticks = new ArrayList<>();
    for (int i = 1; i <= seconds * 10; i++) {
      ticks.addAll(simulator.step(START.plusMillis(i * 100L), 0.1));
    }
    return ticks;
  }

  @Test
  void sameSeedGivesTheSameTicks() {
    assertEquals(run(7, 600), run(7, 600));
    assertNotEquals(run(7, 600), run(8, 600));
  }

  @Test
  void everyPriceStaysInsideTheDailyLimitBandOnTheTickGrid() {
    for (Tick tick : run(11, 3600)) {
      Instrument instrument = catalog.find(tick.instrument()).orElseThrow();
      double move = Math.abs(tick.price() / instrument.referencePrice() - 1);
      assertTrue(move <= instrument.dailyLimit(), tick + " moved " + move);
      double ticksOfGrid = tick.price() / instrument.tickSize();
      assertEquals(Math.round(ticksOfGrid), ticksOfGrid, 1e-6);
      assertTrue(tick.quantity() >= 1);
    }
  }

  @Test
  void thinMarketsTradeFarLessThanTheNationalMarket() {
    Map<String, Long> counts =
        run(3, 3600).stream()
            .collect(Collectors.groupingBy(Tick::instrument, Collectors.counting()));
    // One hour: CEA ≈ 3,600 trades, an emission permit ≈ 72.
    assertTrue(counts.get("CEA") > 3000, "CEA traded " + counts.get("CEA"));
    assertTrue(counts.get("CQ-SO2") < 150, "CQ-SO2 traded " + counts.get("CQ-SO2"));
    assertTrue(counts.get("CQ-SO2") > 20, "CQ-SO2 traded " + counts.get("CQ-SO2"));
  }

  @Test
  void sequenceContinuesFromTheLastJournaledSeq() {
    Simulator simulator = new Simulator(catalog, always, 5, Map.of(), 41);
    List<Tick> ticks = simulator.step(START, 1.0);
    assertEquals(42, ticks.get(0).seq());
  }

  @Test
  void followsExchangeSessionsWhenAsked() {
    Simulator simulator = new Simulator(catalog, TradingCalendar.exchange(), 5, Map.of(), 0);
    Instant saturday = Instant.parse("2026-11-28T02:00:00Z");
    assertEquals(List.of(), simulator.step(saturday, 10));
  }

  @Test
  void historyHasCalibratedDailyVolatilityAndEndsAtTheReferencePrice() {
    List<Tick> history =
        Simulator.history(catalog, always, 20210716L, LocalDate.of(2026, 11, 27), 250);
    List<Double> cea =
        history.stream().filter(t -> t.instrument().equals("CEA")).map(Tick::price).toList();
    assertEquals(250, cea.size());
    assertEquals(72.00, cea.get(cea.size() - 1), 1e-9);
    double sum = 0;
    double sumSq = 0;
    for (int i = 1; i < cea.size(); i++) {
      double r = Math.log(cea.get(i) / cea.get(i - 1));
      sum += r;
      sumSq += r * r;
    }
    int n = cea.size() - 1;
    double sigma = Math.sqrt(sumSq / n - (sum / n) * (sum / n));
    // Calibrated to 1.75 %; 249 returns estimate it within a few tenths of a percent.
    assertTrue(sigma > 0.013 && sigma < 0.023, "daily σ " + sigma);
  }
}
