package io.greenpledge.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EwmaTest {

  @Test
  void sigmaFollowsRiskMetricsRecursionSeededWithFirstSquaredReturn() {
    // r1 = ln(110/100) = 0.0953102, r1² = 0.0090840
    // r2 = ln(99/110)  = -0.1053605, r2² = 0.0111008
    // σ² = 0.94 × 0.0090840 + 0.06 × 0.0111008 = 0.0092050 → σ = 0.0959429
    assertEquals(0.0959429, Ewma.sigma(List.of(100.0, 110.0, 99.0), 0.94, 0.5), 1e-7);
  }

  @Test
  void fewerThanTwoReturnsFallsBackToTheInstrumentDefault() {
    assertEquals(0.0175, Ewma.sigma(List.of(51.0, 52.0), 0.94, 0.0175), 0.0);
  }
}
