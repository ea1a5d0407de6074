package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.engine.Bus;
import io.greenpledge.market.Quote;
import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The market-data REST API of a running gateway: simulator feed, real PostgreSQL, real HTTP. */
class MarketApiIT {

  @RegisterExtension
  static final GatewayExtension node = new GatewayExtension("GP_FEEDS", "simulator,ingest");

  private static String viewer() {
    return node.tokens().token("analyst", "DEMO-A", "viewer");
  }

  @Test
  void catalogHasTheNineInstrumentsOfTheDesign() {
    JsonArray items = node.http().get("/api/v1/instruments", viewer()).json().getJsonArray("items");
    assertEquals(9, items.size());
    JsonObject cea = items.getJsonObject(0);
    assertEquals("CEA", cea.getString("id"));
    assertEquals("T1", cea.getString("liquidityTier"));
    assertEquals("CARBON", cea.getString("category"));
    assertEquals("Asia/Shanghai", cea.getJsonObject("calendar").getString("timeZone"));
  }

  @Test
  void servesAPriceForEveryInstrumentWithHistoryBehindIt() {
    JsonArray items = node.http().get("/api/v1/prices", viewer()).json().getJsonArray("items");
    assertEquals(9, items.size());
    for (Object item : items) {
      JsonObject price = (JsonObject) item;
      assertTrue(price.getDouble("mark") > 0, price.encode());
      // Sixty simulated days of history give every instrument a σ and an ADV20.
      assertTrue(price.getDouble("sigma") > 0.001, price.encode());
      assertTrue(price.getDouble("adv20") > 0, price.encode());
    }
  }

  @Test
  void theNationalMarketTradesLiveWithinSeconds() throws Exception {
    CompletableFuture<Quote> live = new CompletableFuture<>();
    Bus.QUOTES.subscribe(
        node.gateway().vertx(),
        quote -> {
          if (quote.instrument().equals("CEA") && "simulator".equals(quote.lastTickSource())) {
            live.complete(quote);
          }
        });
    Quote quote = live.get(15, TimeUnit.SECONDS);
    JsonObject price = node.http().get("/api/v1/prices/CEA", viewer()).json();
    assertFalse(price.getBoolean("stale"));
    assertEquals("simulator", price.getJsonObject("lastTick").getString("source"));
    assertTrue(price.getJsonObject("lastTick").getLong("seq") >= quote.lastTickSeq());
  }

  @Test
  void unknownInstrumentIsAProblem404() {
    Http.Response response = node.http().get("/api/v1/prices/EUA", viewer());
    assertEquals(404, response.status());
    assertEquals("application/problem+json", response.contentType());
    assertTrue(response.json().getString("detail").contains("EUA"));
  }

  @Test
  void candleIntervalOutsideTheContractIsA400() {
    Http.Response response = node.http().get("/api/v1/prices/CEA/candles?interval=2m", viewer());
    assertEquals(400, response.status());
    assertEquals("application/problem+json", response.contentType());
    assertTrue(response.json().getString("detail").contains("interval"), response.body());
  }

  @Test
  void dailyCandlesComeFromTheJournal() {
    JsonObject candles = node.http().get("/api/v1/prices/CEA/candles?interval=1d", viewer()).json();
    JsonArray items = candles.getJsonArray("items");
    assertTrue(items.size() >= 60, "expected 60 days of history, got " + items.size());
    JsonObject day = items.getJsonObject(0);
    assertTrue(day.getDouble("high") >= day.getDouble("low"));
  }

  @Test
  void servesTheContractAndHealth() {
    Http.Response contract = node.http().get("/openapi.yaml", null);
    assertEquals(200, contract.status());
    assertTrue(contract.body().contains("openapi: 3.1.0"));
    assertTrue(contract.body().contains("application/problem+json"));
    assertEquals(200, node.http().get("/health/live", null).status());
    Http.Response ready = node.http().get("/health/ready", null);
    assertEquals(200, ready.status(), ready.body());
    assertEquals(
        "UP", ready.json().getJsonObject("checks").getJsonObject("database").getString("status"));
  }
}
