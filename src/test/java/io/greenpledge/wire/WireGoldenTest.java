package io.greenpledge.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.alerts.AlertRules;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.Cause;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.market.RejectReason;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.greenpledge.market.TradingHours;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Fixtures;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Stress;
import io.greenpledge.valuation.Transition;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every REST body and WebSocket frame the gateway builds, from fixed inputs, against a golden file
 * in {@code src/test/resources/golden/}. A change of shape fails here first, beside the contract;
 * after a deliberate change, rerun with {@code -Dgolden.write=true} and review the diff.
 */
class WireGoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final Instruments CATALOG = Instruments.seed();
  private static final Instrument CEA = CATALOG.find("CEA").orElseThrow();
  private static final Quote QUOTE = Fixtures.quote("CEA", 71.50, 0.02, 100_000);
  private static final Tick TICK =
      new Tick("CEA", 71.50, 1_000, Fixtures.NOW, "connector:golden", 42);

  static Stream<Arguments> shapes() {
    PledgeBook book = new PledgeBook(CATALOG);
    Pledge pledge = Fixtures.pledge("P-1", "BANK-A", "CEA", 10_000, 600_000);
    book.upsert(pledge, QUOTE, CoverageStatus.HEALTHY, Fixtures.NOW, Fixtures.TODAY);
    Valuation valuation = book.valuation("P-1").orElseThrow();
    Transition worsened =
        new Transition(pledge, CoverageStatus.HEALTHY, CoverageStatus.MARGIN_CALL, valuation);
    Quote stale = Fixtures.quote("CEA", 71.50, 71.00, 0.02, 100_000, true, 3);
    Alert statusChange =
        AlertRules.statusChange(worsened, Fixtures.NOW, Cause.market("connector:golden", 42))
            .persisted(7, 3);
    Alert byTheBook =
        AlertRules.statusChange(
                new Transition(
                    pledge, CoverageStatus.MARGIN_CALL, CoverageStatus.HEALTHY, valuation),
                Fixtures.NOW,
                Cause.book("admin-a", "req-7f3a"))
            .persisted(11, 7);
    String priceItem =
        Frames.item(
            "prices:CEA", "price", 1_764_208_800_000L, MarketJson.price(QUOTE, CEA).encode());
    return Stream.of(
        Arguments.of("rest-instrument", MarketJson.instrument(CEA, TradingHours.EXCHANGE)),
        Arguments.of("rest-price", MarketJson.price(QUOTE, CEA)),
        Arguments.of("rest-pledge", ValuationJson.pledge(pledge)),
        Arguments.of("rest-valuation", ValuationJson.valuation(valuation, CEA)),
        Arguments.of(
            "rest-portfolio",
            PortfolioJson.of(List.of(valuation), Optional.of("BANK-A"), Fixtures.NOW)),
        Arguments.of(
            "rest-stress",
            RiskJson.stress(
                Stress.run(
                    List.of(valuation),
                    Map.of("CEA", QUOTE),
                    CATALOG,
                    new Stress.Scenario(Map.of("CEA", -0.2), 0),
                    10))),
        Arguments.of(
            "rest-tick-outcomes",
            TickJson.outcomes(
                List.of(
                    TickOutcome.accepted(TICK),
                    TickOutcome.rejected(TICK, RejectReason.DUPLICATE)))),
        Arguments.of(
            "rest-health",
            Wire.health(
                false,
                new java.util.LinkedHashMap<>(Map.of("database", Optional.<String>empty())) {
                  {
                    put("journal", Optional.of("3 failed writes in a row"));
                  }
                })),
        Arguments.of(
            "rest-problem",
            Wire.problem(
                "https://greenpledge.io/problems/bad-request",
                "Bad request",
                400,
                "limit must be between 1 and 1000",
                "/api/v1/pledges")),
        Arguments.of("alert-status-change", AlertJson.alert(statusChange)),
        Arguments.of("alert-status-change-by-the-book", AlertJson.alert(byTheBook)),
        Arguments.of(
            "alert-margin-call",
            AlertJson.alert(
                Alert.pending(
                        "BANK-A",
                        "call:12:MET:v4",
                        "P-1",
                        "CEA",
                        new io.greenpledge.alerts.event.AlertEvent.CallChanged(
                            12,
                            "ACKNOWLEDGED",
                            "MET",
                            new java.math.BigDecimal("0.00"),
                            java.time.Instant.parse("2026-12-01T07:00:00Z"),
                            Cause.book("admin-a", "req-9")),
                        Fixtures.NOW)
                    .persisted(13, 8))),
        Arguments.of(
            "alert-concentration",
            AlertJson.alert(
                Alert.pending(
                        "BANK-A",
                        "concentration:maxBorrowerShare:91350100M000100Y43:on:2026-11-27",
                        null,
                        null,
                        new io.greenpledge.alerts.event.AlertEvent.ConcentrationChanged(
                            "maxBorrowerShare",
                            "91350100M000100Y43",
                            new java.math.BigDecimal("0.571429"),
                            new java.math.BigDecimal("0.25"),
                            true,
                            java.util.List.of("P-1", "P-3")),
                        Fixtures.NOW)
                    .persisted(14, 9))),
        Arguments.of(
            "alert-stale",
            AlertJson.alert(
                AlertRules.staleness("BANK-A", stale, 2, Fixtures.NOW).persisted(8, 4))),
        Arguments.of(
            "alert-fresh",
            AlertJson.alert(
                AlertRules.staleness("BANK-A", QUOTE, 2, Fixtures.NOW).persisted(9, 5))),
        Arguments.of(
            "alert-double-pledge",
            AlertJson.alert(
                AlertRules.doublePledge(
                        pledge,
                        Fixtures.pledge("P-2", "BANK-B", "CEA", 5_000, 100_000),
                        Fixtures.NOW)
                    .persisted(10, 6))),
        Arguments.of("frame-alert-item", new JsonObject(AlertJson.item(statusChange))),
        Arguments.of("frame-authenticated", Frames.authenticated("desk-1", "BANK-A", Fixtures.NOW)),
        Arguments.of("frame-pong", Frames.pong()),
        Arguments.of("frame-heartbeat", Frames.heartbeat()),
        Arguments.of("frame-error", Frames.error("unknown-channel", "no channel 'x'")),
        Arguments.of(
            "frame-ingest-error",
            Frames.error(5, "invalid-batch", "ticks[0].price must be a number")),
        Arguments.of("frame-unsubscribed", Frames.unsubscribed(List.of("prices", "alerts"))),
        Arguments.of("frame-ack", Frames.ack(5, List.of(TickOutcome.accepted(TICK)))),
        Arguments.of(
            "frame-snapshot",
            new JsonObject(
                Frames.snapshot("prices", 1, 1_764_208_800_000L, null, List.of(priceItem)))),
        Arguments.of(
            "frame-snapshot-alerts",
            new JsonObject(
                Frames.snapshot(
                    "alerts", 2, 1_764_208_800_000L, 3L, List.of(AlertJson.item(statusChange))))),
        Arguments.of(
            "frame-update",
            new JsonObject(
                Frames.updateHead(3, 1_764_208_800_050L) + priceItem + Frames.UPDATE_TAIL)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void everyShapeMatchesItsGoldenFile(String name, JsonObject built) throws Exception {
    Path file = GOLDEN.resolve(name + ".json");
    if (Boolean.getBoolean("golden.write")) {
      Files.writeString(file, built.encodePrettily() + "\n");
    }
    assertEquals(new JsonObject(Files.readString(file)), built, name + " differs from " + file);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void aStoredAlertReadsBackAsTheEventEmitted(String name, JsonObject built) {
    if (name.startsWith("alert-")) {
      Alert.Kind kind = Alert.Kind.valueOf(built.getString("kind"));
      JsonObject data = built.getJsonObject("data");
      assertEquals(data, AlertJson.data(AlertJson.event(kind, data)));
    }
  }
}
