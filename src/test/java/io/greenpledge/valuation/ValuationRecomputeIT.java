package io.greenpledge.valuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.support.GatewayExtension;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a bank's auditor does: take every served valuation of the demo book and recompute each
 * number from the served fields alone, with an implementation of the design's rules written here in
 * {@link BigDecimal} (not the engine's scaled-integer code), and require equality to the fen and
 * the millionth.
 */
class ValuationRecomputeIT {

  private static final BigDecimal HYSTERESIS = new BigDecimal("0.02");
  private static final List<String> STATUSES =
      List.of("HEALTHY", "WARNING", "MARGIN_CALL", "DISPOSAL");

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension("GP_FEEDS", "simulator,ingest", "GP_DEMO", "true", "GP_RATE_LIMIT", "0");

  @Test
  @DisplayName(
      "every served number of every demo pledge is recomputed from the served fields alone")
  void everyDemoValuationRecomputesFromItsServedFields() {
    List<String> mismatches = new ArrayList<>();
    java.util.Set<String> seen = new java.util.TreeSet<>();
    int checked = 0;
    postCashMargin();
    setLimits();
    for (String bank : List.of("DEMO-A", "DEMO-B")) {
      String token = node.tokens().token("auditor-" + bank, bank, "viewer");
      String after = "";
      do {
        JsonObject page = node.http().get("/api/v1/pledges?limit=200&after=" + after, token).json();
        for (Object item : page.getJsonArray("items")) {
          JsonObject pledge = (JsonObject) item;
          JsonObject valuation = pledge.getJsonObject("valuation");
          if (valuation != null) {
            recompute(pledge, valuation, mismatches);
            checked++;
            seen.add("status:" + valuation.getString("status"));
            seen.add("basis:" + valuation.getJsonObject("provenance").getString("basis"));
            JsonObject provenance = valuation.getJsonObject("provenance");
            if (dec(provenance, "bankHaircutFloor").signum() > 0) {
              seen.add("bank floor");
            }
            if (dec(provenance, "concentrationAddOn").signum() > 0) {
              seen.add("concentration add-on");
            }
            if (dec(valuation, "cashMargin").signum() > 0) {
              seen.add("cash:" + valuation.getString("status"));
              if (valuation.getJsonObject("distanceToNextLine") != null
                  && valuation.getJsonObject("distanceToNextLine").getValue("priceMove") == null) {
                seen.add("cash covers the next line");
              }
            }
            if (new BigDecimal(
                        valuation.getJsonObject("provenance").getValue("termFactor").toString())
                    .compareTo(BigDecimal.ONE)
                < 0) {
              seen.add("expiring");
            }
          }
        }
        after = page.getString("next");
      } while (after != null);
    }
    assertEquals(300, checked, "the demo book's 300 pledges were all valued");
    // the book exercises the rules: healthy to margin
    // call (top-ups, every next line), expiring rights
    assertEquals(
        true,
        seen.containsAll(
            List.of(
                "status:HEALTHY",
                "status:WARNING",
                "status:MARGIN_CALL",
                "expiring",
                "basis:CONSERVATIVE",
                "cash:HEALTHY",
                "cash covers the next line",
                "bank floor",
                "concentration add-on")),
        seen.toString());
    assertEquals(List.of(), mismatches);
  }

  private static void recompute(JsonObject pledge, JsonObject v, List<String> mismatches) {
    String id = v.getString("pledgeId");
    JsonObject p = v.getJsonObject("provenance");
    JsonObject params = p.getJsonObject("parameters");
    BigDecimal quantity = dec(v, "quantity");
    BigDecimal mark = dec(v, "mark");
    BigDecimal outstanding = dec(v, "outstanding");
    BigDecimal cash = dec(v, "cashMargin");
    BigDecimal termFactor = dec(p, "termFactor");
    check(mismatches, id, "markPrice", dec(p, "markPrice"), mark);
    check(mismatches, id, "mark", markRule(p, params), mark);
    check(mismatches, id, "termFactor", termFactor(pledge, v), termFactor);

    BigDecimal marketValue =
        quantity.multiply(mark).multiply(termFactor).setScale(2, RoundingMode.HALF_EVEN);
    check(mismatches, id, "marketValue", marketValue, dec(v, "marketValue"));
    check(
        mismatches,
        id,
        "horizonDays",
        horizon(quantity, p, params),
        p.getValue("horizonDays") == null ? null : BigDecimal.valueOf(p.getLong("horizonDays")));
    // the model's haircut, then the bank's terms: min(0.95, max(model, floor) + add-on)
    BigDecimal model = haircut(p, params);
    check(mismatches, id, "modelHaircut", model, dec(p, "modelHaircut"));
    BigDecimal haircut =
        model
            .max(dec(p, "bankHaircutFloor"))
            .add(dec(p, "concentrationAddOn"))
            .min(BigDecimal.valueOf(params.getDouble("maxHaircut")).setScale(6));
    check(mismatches, id, "haircut", haircut, dec(v, "haircut"));
    check(
        mismatches,
        id,
        "eligibleValue",
        marketValue
            .multiply(BigDecimal.ONE.subtract(haircut))
            .setScale(2, RoundingMode.HALF_EVEN)
            .add(cash),
        dec(v, "eligibleValue"));
    // cash margin is collateral at 100 % beside the right
    BigDecimal collateral = marketValue.add(cash);
    BigDecimal coverage =
        outstanding.signum() == 0
            ? null
            : collateral.divide(outstanding, 6, RoundingMode.HALF_EVEN);
    check(mismatches, id, "coverage", coverage, dec(v, "coverage"));
    check(
        mismatches,
        id,
        "ltv",
        collateral.signum() == 0 ? null : outstanding.divide(collateral, 6, RoundingMode.HALF_EVEN),
        dec(v, "ltv"));

    String status = v.getString("status");
    if (coverage != null) {
      int raw = STATUSES.indexOf(classify(coverage, params));
      int cleared = STATUSES.indexOf(classify(coverage.subtract(HYSTERESIS), params));
      int served = STATUSES.indexOf(status);
      if (served < raw || served > Math.max(raw, cleared)) {
        mismatches.add(id + " status " + status + " does not follow from coverage " + coverage);
      }
    }
    boolean called = status.equals("MARGIN_CALL") || status.equals("DISPOSAL");
    BigDecimal topUp =
        called
            ? outstanding
                .divide(dec(params, "initialLtv"), 2, RoundingMode.HALF_EVEN)
                .subtract(collateral)
                .max(BigDecimal.ZERO)
                .setScale(2)
            : BigDecimal.ZERO.setScale(2);
    check(mismatches, id, "topUp.amount", topUp, dec(v.getJsonObject("topUp"), "amount"));
    if (topUp.signum() > 0) {
      check(
          mismatches,
          id,
          "topUp.quantity",
          topUp.divide(mark.multiply(termFactor), 4, RoundingMode.CEILING),
          dec(v.getJsonObject("topUp"), "quantity"));
    }
    JsonObject distance = v.getJsonObject("distanceToNextLine");
    if (!status.equals("DISPOSAL") && coverage != null) {
      String next = STATUSES.get(STATUSES.indexOf(status) + 1);
      BigDecimal line =
          dec(
              params,
              switch (next) {
                case "WARNING" -> "warningLine";
                case "MARGIN_CALL" -> "marginCallLine";
                default -> "disposalLine";
              });
      check(mismatches, id, "distanceToNextLine.line", line, dec(distance, "line"));
      // the price factor f with (MV × f + cash) / outstanding = line; none when f ≤ 0
      BigDecimal needed = line.multiply(outstanding).subtract(cash);
      check(
          mismatches,
          id,
          "distanceToNextLine.priceMove",
          needed.signum() <= 0 || marketValue.signum() == 0
              ? null
              : needed.divide(marketValue, 6, RoundingMode.HALF_EVEN).subtract(BigDecimal.ONE),
          dec(distance, "priceMove"));
    }
  }

  /**
   * DEMO-A's limits (a second risk-admin approves them): a haircut floor of 0.6 on CQEA above the
   * model's, and a 0.07 add-on for an instrument over 20 % of its eligible value (CEA is); then
   * waits for the risk engine to apply them (it reads limits every few seconds).
   */
  private static void setLimits() {
    String maker = node.tokens().token("admin-DEMO-A", "DEMO-A", "risk-admin");
    String checker = node.tokens().token("checker-DEMO-A", "DEMO-A", "risk-admin");
    JsonObject limits =
        new JsonObject()
            .put(
                "eligibility",
                new JsonObject().put("haircutFloors", new JsonObject().put("CQEA", 0.6)))
            .put(
                "concentration",
                new JsonObject().put("maxInstrumentShare", 0.2).put("addOn", 0.07));
    // the engine's own valuations tell when it applied them (floor and add-on both seen)
    java.util.concurrent.CompletableFuture<Void> floor =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Void> addOn =
        new java.util.concurrent.CompletableFuture<>();
    io.greenpledge.engine.Bus.VALUATIONS.subscribe(
        node.gateway().vertx(),
        batch ->
            batch
                .valuations()
                .all()
                .forEach(
                    v -> {
                      if (v.bankTerms().floorMicro() == 600_000) {
                        floor.complete(null);
                      }
                      if (v.bankTerms().addOnMicro() == 70_000) {
                        addOn.complete(null);
                      }
                    }));
    var asked = node.http().send("PUT", "/api/v1/limits", maker, limits.encode());
    assertEquals(202, asked.status(), asked.body());
    var approved =
        node.http()
            .post(
                "/api/v1/change-requests/" + asked.json().getLong("id") + "/approve",
                checker,
                "{}");
    assertEquals(200, approved.status(), approved.body());
    try {
      java.util.concurrent.CompletableFuture.allOf(floor, addOn)
          .get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the risk engine did not apply DEMO-A's limits within 20 s", e);
    }
  }

  /**
   * Cash margin posted on a few of DEMO-A's pledges through the API: amounts with odd fen, and one
   * so large that no price move reaches the pledge's next line.
   */
  private static void postCashMargin() {
    String admin = node.tokens().token("admin-DEMO-A", "DEMO-A", "risk-admin");
    JsonObject page = node.http().get("/api/v1/pledges?limit=12", admin).json();
    int i = 0;
    for (Object item : page.getJsonArray("items")) {
      JsonObject pledge = (JsonObject) item;
      BigDecimal cash =
          i == 0
              ? dec(pledge, "outstanding").multiply(new BigDecimal("2"))
              : new BigDecimal("1234.57").multiply(BigDecimal.valueOf(i * 7L));
      var answer =
          node.http()
              .patch(
                  "/api/v1/pledges/" + pledge.getString("id"),
                  admin,
                  new JsonObject().put("cashMargin", cash).encode());
      assertEquals(200, answer.status(), answer.body());
      i++;
    }
  }

  /** The mark rule from the served statistics (the reference only appears with basis REFERENCE). */
  private static BigDecimal markRule(JsonObject p, JsonObject params) {
    BigDecimal last = dec(p, "lastTrade");
    BigDecimal vwap = p.getValue("vwap20") == null ? last : dec(p, "vwap20");
    BigDecimal price =
        switch (p.getString("basis")) {
          case "LAST" -> last;
          case "VWAP20" -> vwap;
          case "CONSERVATIVE" -> last.min(vwap);
          default ->
              dec(p, "markPrice"); // REFERENCE: the catalog's reference, checked in MarksTest
        };
    return price.setScale(2, RoundingMode.HALF_EVEN);
  }

  private static BigDecimal termFactor(JsonObject pledge, JsonObject v) {
    if (pledge.getValue("rightExpiry") == null) {
      return new BigDecimal("1.000000");
    }
    LocalDate start = LocalDate.parse(pledge.getString("rightStart"));
    LocalDate expiry = LocalDate.parse(pledge.getString("rightExpiry"));
    LocalDate today =
        Instant.parse(v.getString("valuedAt")).atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
    long original = ChronoUnit.DAYS.between(start, expiry);
    long remaining = ChronoUnit.DAYS.between(today, expiry);
    return remaining <= 0
        ? new BigDecimal("0.000000")
        : BigDecimal.valueOf(remaining)
            .divide(BigDecimal.valueOf(original), 6, RoundingMode.HALF_EVEN)
            .min(BigDecimal.ONE.setScale(6));
  }

  private static BigDecimal horizon(BigDecimal quantity, JsonObject p, JsonObject params) {
    BigDecimal adv20 = dec(p, "adv20");
    if (adv20.signum() == 0) {
      return null;
    }
    BigDecimal days =
        quantity.divide(dec(params, "participation").multiply(adv20), 0, RoundingMode.CEILING);
    return days.max(dec(params, "tierHorizonDays"))
        .add(BigDecimal.valueOf(p.getInteger("staleDays")));
  }

  /** H = clamp(z × σ × √T + addOn, floor, max), in the double arithmetic the provenance states. */
  private static BigDecimal haircut(JsonObject p, JsonObject params) {
    double max = params.getDouble("maxHaircut");
    if (p.getValue("horizonDays") == null) {
      return BigDecimal.valueOf(max).setScale(6, RoundingMode.HALF_EVEN);
    }
    double raw =
        params.getDouble("z") * p.getDouble("sigma") * Math.sqrt(p.getLong("horizonDays"))
            + params.getDouble("haircutAddOn");
    return new BigDecimal(Math.min(max, Math.max(params.getDouble("haircutFloor"), raw)))
        .setScale(6, RoundingMode.HALF_EVEN);
  }

  private static String classify(BigDecimal coverage, JsonObject params) {
    if (coverage.compareTo(dec(params, "disposalLine")) < 0) {
      return "DISPOSAL";
    }
    if (coverage.compareTo(dec(params, "marginCallLine")) < 0) {
      return "MARGIN_CALL";
    }
    return coverage.compareTo(dec(params, "warningLine")) < 0 ? "WARNING" : "HEALTHY";
  }

  private static BigDecimal dec(JsonObject json, String field) {
    Object value = json == null ? null : json.getValue(field);
    return value == null ? null : new BigDecimal(value.toString());
  }

  private static void check(
      List<String> mismatches, String id, String field, BigDecimal expected, BigDecimal served) {
    boolean equal =
        expected == null ? served == null : served != null && expected.compareTo(served) == 0;
    if (!equal) {
      mismatches.add(id + " " + field + ": recomputed " + expected + ", served " + served);
    }
  }
}
