package io.greenpledge.book;

import io.greenpledge.limits.CreditCode;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.TermFactor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo books of DEMO-A and DEMO-B: a few hundred pledges over every instrument, most of them
 * comfortably covered, some just above their warning, margin-call or disposal line so that the
 * simulator's moves fire alerts within minutes, and two certificates pledged to both banks.
 * Borrowers are fictitious.
 */
public final class DemoBook {

  public static final List<String> BANKS = List.of("DEMO-A", "DEMO-B");
  static final int PLEDGES_PER_BANK = 150;
  private static final String[] DISTRICTS = {
    "江北", "渝北", "长寿", "涪陵", "万州", "綦江", "合川", "璧山", "两江", "大渡口"
  };
  private static final String[] INDUSTRIES = {
    "化工", "水泥", "钢铁", "热电", "造纸", "玻璃", "陶瓷", "铝业", "制药", "建材"
  };

  /** The administrative division codes of the districts above (两江新区 reported under 渝北). */
  private static final String[] DIVISIONS = {
    "500105", "500112", "500115", "500102", "500101", "500110", "500117", "500120", "500112",
    "500104"
  };

  /** The groups some of the industries' borrowers belong to (fictitious). */
  private static final String[] GROUPS = {
    "重庆化工示范控股集团",
    "重庆建材示范集团",
    null,
    null,
    null,
    "重庆建材示范集团",
    "重庆建材示范集团",
    null,
    "重庆化工示范控股集团",
    "重庆建材示范集团"
  };

  /**
   * A valid, fictitious credit code for a demo borrower: a company (91), its district, an
   * organisation code made of the district and industry, and the GB 32100 check character. The same
   * borrower at both banks has the same code.
   */
  static String borrowerCode(int district, int industry) {
    String first17 =
        "91" + DIVISIONS[district] + String.format("MA6%02d%02d00", district, industry);
    return first17 + CreditCode.checkCharacter(first17);
  }

  /** Weights of instruments in the demo books (CEA first, as in Chongqing's lending). */
  private static final Map<String, Integer> WEIGHTS =
      Map.of(
          "CEA", 30, "CCER", 10, "CQEA", 15, "CQCER", 5, "CQ-SO2", 10, "CQ-NOX", 8, "CQ-COD", 8,
          "CQ-NH3N", 6, "CQ-EUR", 8);

  private DemoBook() {}

  public static List<Pledge> generate(
      Instruments catalog, Map<String, Quote> quotes, long seed, Instant now) {
    SplittableRandom random = new SplittableRandom(seed);
    LocalDate today = now.atZone(io.greenpledge.market.TradingCalendar.ZONE).toLocalDate();
    List<Pledge> pledges = new ArrayList<>();
    for (String bank : BANKS) {
      for (int i = 1; i <= PLEDGES_PER_BANK; i++) {
        Instrument instrument = pick(catalog, random);
        String certificate = certificate(instrument, bank, i);
        pledges.add(
            pledge(
                bank, i, instrument, certificate, quotes.get(instrument.id()), random, today, now));
      }
    }
    // Two certificates pledged to both banks: the regulator's conflict register is not empty.
    for (int i = 1; i <= 2; i++) {
      Pledge a = pledges.get(i * 7);
      Pledge b = pledges.get(PLEDGES_PER_BANK + i * 11);
      pledges.set(
          PLEDGES_PER_BANK + i * 11,
          new Pledge(
              b.id(),
              b.bank(),
              b.borrower(),
              b.borrowerCode(),
              b.borrowerGroup(),
              b.loanId(),
              a.instrument(),
              a.quantity(),
              a.certificate(),
              a.rightStart(),
              a.rightExpiry(),
              a.outstandingCents(),
              a.cashMarginCents(),
              a.lines(),
              a.basis(),
              a.state(),
              a.version(),
              a.createdAt(),
              a.createdAt()));
    }
    return pledges;
  }

  private static Pledge pledge(
      String bank,
      int n,
      Instrument instrument,
      String certificate,
      Quote quote,
      SplittableRandom random,
      LocalDate today,
      Instant now) {
    double quantity = quantity(instrument, random);
    LocalDate start = instrument.expiring() ? today.minusDays(200 + random.nextInt(600)) : null;
    LocalDate expiry = instrument.expiring() ? today.plusDays(1500 + random.nextInt(1500)) : null;
    double termFactor = instrument.expiring() ? TermFactor.of(start, expiry, today) : 1.0;
    double marketValue = quantity * quote.freshMarkFor(MarkBasis.CONSERVATIVE) * termFactor;
    double coverage = targetCoverage(random);
    long outstandingCents = Math.round(marketValue / coverage / 100.0) * 100 * 100;
    int district = random.nextInt(DISTRICTS.length);
    int industry = random.nextInt(INDUSTRIES.length);
    String borrower = "重庆" + DISTRICTS[district] + INDUSTRIES[industry] + "示范有限公司";
    String id = String.format("PLG-%s-%04d", bank, n);
    return new Pledge(
        id,
        bank,
        borrower,
        borrowerCode(district, industry),
        GROUPS[industry],
        String.format("%s-LN-2026-%04d", bank, n),
        instrument.id(),
        quantity,
        certificate,
        start,
        expiry,
        outstandingCents,
        0,
        Lines.DEFAULT,
        MarkBasis.CONSERVATIVE,
        Pledge.State.ACTIVE,
        1,
        now,
        now);
  }

  /**
   * 70 % comfortable, 15 % just above warning, 10 % just above margin call, 5 % just above
   * disposal.
   */
  private static double targetCoverage(SplittableRandom random) {
    double u = random.nextDouble();
    if (u < 0.70) {
      return 1.50 + random.nextDouble() * 0.7;
    }
    if (u < 0.85) {
      return 1.402 + random.nextDouble() * 0.01;
    }
    if (u < 0.95) {
      return 1.302 + random.nextDouble() * 0.01;
    }
    return 1.202 + random.nextDouble() * 0.01;
  }

  private static double quantity(Instrument instrument, SplittableRandom random) {
    double median = instrument.simulation().medianDailyVolume();
    // Positions from a tenth of a day's volume up to
    // several days' worth: thin markets get long horizons.
    return Math.max(1, Math.round(median * (0.1 + random.nextDouble() * 3)));
  }

  private static Instrument pick(Instruments catalog, SplittableRandom random) {
    int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
    int draw = random.nextInt(total);
    for (Instrument instrument : catalog.all()) {
      draw -= WEIGHTS.getOrDefault(instrument.id(), 0);
      if (draw < 0) {
        return instrument;
      }
    }
    return catalog.all().get(0);
  }

  private static String certificate(Instrument instrument, String bank, int n) {
    return String.format(
        "CQ-REG-%s-%s-%05d", instrument.id(), bank.substring(bank.length() - 1), n);
  }
}
