package io.greenpledge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.greenpledge.limits.SystemExposure.InstrumentExposure;
import io.greenpledge.limits.SystemExposure.Position;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemExposureTest {

  /**
   * Three banks. CEA: A 30,000 t + 20,000 t, B 50,000 t, C 25,000.5 t = 125,000.5 t; ADV20 of CEA
   * 150,000 t: at 20 % a day the market absorbs 30,000 t a day, so 125,000.5 / 30,000 = 4.166683… →
   * 4.17 days. CQ-SO2 has traded nothing in the window: no figure rather than infinity.
   */
  @Test
  void totalsSharesAndDaysToLiquidateByHand() {
    List<Position> book =
        List.of(
            new Position("A", "CEA", 300_000_000L, 2_160_000_00L, 1_512_000_00L, 1_400_000_00L),
            new Position("A", "CEA", 200_000_000L, 1_440_000_00L, 1_008_000_00L, 900_000_00L),
            new Position("B", "CEA", 500_000_000L, 3_600_000_00L, 2_520_000_00L, 2_500_000_00L),
            new Position("C", "CEA", 250_005_000L, 1_800_036_00L, 1_260_025_20L, 1_000_000_00L),
            new Position("B", "CQ-SO2", 1_000_000L, 6_100_000_00L, 3_050_000_00L, 4_000_000_00L));
    List<InstrumentExposure> exposure =
        SystemExposure.of(book, Map.of("CEA", new BigDecimal("150000"), "CQ-SO2", BigDecimal.ZERO));

    InstrumentExposure cea = exposure.get(0);
    assertEquals("CEA", cea.instrument());
    assertEquals(4, cea.pledges());
    assertEquals(new BigDecimal("125000.5"), cea.quantity());
    // 2,160,000 + 1,440,000 + 3,600,000 + 1,800,036 = 9,000,036.00 CNY
    assertEquals(9_000_036_00L, cea.marketValueFen());
    assertEquals(5_800_000_00L, cea.outstandingFen());
    assertEquals(new BigDecimal("4.17"), cea.daysToLiquidate());
    // A: 50,000 / 125,000.5 = 0.399998…; B 0.399998; C 0.200003
    assertEquals(
        List.of("A:50000:0.399998", "B:50000:0.399998", "C:25000.5:0.200003"),
        cea.banks().stream()
            .map(b -> b.bank() + ":" + b.quantity().toPlainString() + ":" + b.share())
            .toList());

    InstrumentExposure so2 = exposure.get(1);
    assertEquals(new BigDecimal("100"), so2.quantity());
    assertNull(so2.daysToLiquidate());
  }
}
