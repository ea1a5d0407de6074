package io.greenpledge.market;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed catalog: the design's eight instruments plus CQCER, Chongqing's own voluntary reduction
 * credit (碳惠通), which local banks also take as collateral and which makes the nine the issues ask
 * for. Reference prices are our appraisal benchmarks for the demo: CEA near its 2025 level,
 * emission permits from Chongqing's 2009 auction (SO2 ≈ 6,100, COD ≈ 9,000 CNY/t). Daily limits:
 * ±10 % for the national markets (the exchange rule), ±20 % for the Chongqing pilot and ±30 % for
 * the negotiated permit and energy-use markets, which have no published limit.
 */
public final class Instruments {

  private static final List<Instrument> SEED =
      List.of(
          carbon(
              "CEA",
              "全国碳排放配额",
              "National ETS allowance",
              LiquidityTier.T1,
              72.00,
              0.10,
              Duration.ofMinutes(2),
              0.0175,
              new Instrument.Simulation(1.0, 0.0175, 150_000)),
          carbon(
              "CCER",
              "国家核证自愿减排量",
              "China Certified Emission Reduction",
              LiquidityTier.T2,
              85.00,
              0.10,
              Duration.ofMinutes(5),
              0.02,
              new Instrument.Simulation(0.3, 0.02, 30_000)),
          carbon(
              "CQEA",
              "重庆碳排放配额",
              "Chongqing pilot allowance",
              LiquidityTier.T3,
              30.00,
              0.20,
              Duration.ofMinutes(20),
              0.025,
              new Instrument.Simulation(0.05, 0.025, 5_000)),
          carbon(
              "CQCER",
              "重庆“碳惠通”核证自愿减排量",
              "Chongqing certified emission reduction (Tan Hui Tong)",
              LiquidityTier.T3,
              25.00,
              0.20,
              Duration.ofMinutes(20),
              0.03,
              new Instrument.Simulation(0.03, 0.03, 3_000)),
          permit("CQ-SO2", "重庆排污权（二氧化硫）", "Chongqing emission permit SO2", 6100.00),
          permit("CQ-NOX", "重庆排污权（氮氧化物）", "Chongqing emission permit NOx", 6800.00),
          permit("CQ-COD", "重庆排污权（化学需氧量）", "Chongqing emission permit COD", 9000.00),
          permit("CQ-NH3N", "重庆排污权（氨氮）", "Chongqing emission permit NH3-N", 11000.00),
          new Instrument(
              "CQ-EUR",
              "重庆用能权",
              "Chongqing energy-use right",
              Category.ENERGY_USE_RIGHT,
              "tce",
              "CNY",
              LiquidityTier.T3,
              120.00,
              0.30,
              0.01,
              Duration.ofMinutes(30),
              true,
              0.012,
              new Instrument.Simulation(0.03, 0.012, 2_000)));

  private final Map<String, Instrument> byId;
  private final List<Instrument> ordered;

  private Instruments(List<Instrument> instruments) {
    Map<String, Instrument> map = new LinkedHashMap<>();
    instruments.forEach(i -> map.put(i.id(), i));
    this.byId = Map.copyOf(map);
    this.ordered = List.copyOf(instruments);
  }

  public static Instruments seed() {
    return new Instruments(SEED);
  }

  public Optional<Instrument> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<Instrument> all() {
    return ordered;
  }

  public List<String> ids() {
    return ordered.stream().map(Instrument::id).toList();
  }

  private static Instrument carbon(
      String id,
      String name,
      String nameEn,
      LiquidityTier tier,
      double reference,
      double limit,
      Duration staleAfter,
      double sigma,
      Instrument.Simulation simulation) {
    return new Instrument(
        id,
        name,
        nameEn,
        Category.CARBON,
        "tCO2e",
        "CNY",
        tier,
        reference,
        limit,
        0.01,
        staleAfter,
        false,
        sigma,
        simulation);
  }

  private static Instrument permit(String id, String name, String nameEn, double reference) {
    return new Instrument(
        id,
        name,
        nameEn,
        Category.EMISSION_PERMIT,
        "t/yr",
        "CNY",
        LiquidityTier.T3,
        reference,
        0.30,
        0.01,
        Duration.ofMinutes(30),
        true,
        0.01,
        new Instrument.Simulation(0.02, 0.01, 50));
  }
}
