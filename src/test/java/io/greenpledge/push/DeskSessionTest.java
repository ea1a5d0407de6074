package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.greenpledge.valuation.Fixtures;
import io.greenpledge.valuation.PledgeBook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A desk session on a real WebSocket, with its hub on the server's event loop and the gateway's own
 * token verification: the handshake, subscriptions and the errors a client can provoke.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class DeskSessionTest {

  private static final Settings.Jwt JWT = io.greenpledge.support.TestSettings.LOCAL_JWT;

  private Authentication authentication;
  private int port;

  /** Held by the test: Vert.x 5 closes a client that becomes unreachable, connections and all. */
  private WebSocketClient client;

  @BeforeEach
  void serve(Vertx vertx, VertxTestContext ctx) {
    authentication = Authentication.local(vertx, JWT, LocalKeys.generate());
    client = vertx.createWebSocketClient();
    Instruments catalog = Instruments.seed();
    QuoteBoard quotes = new QuoteBoard();
    quotes.put(Fixtures.quote("CEA", 71.50, 0.02, 100_000));
    // three live pledges of BANK-BIG, one of BANK-A; a desk's valuations may cover at most two
    PledgeBook book = new PledgeBook(catalog);
    for (String[] pledge :
        new String[][] {
          {"B1", "BANK-BIG"}, {"B2", "BANK-BIG"}, {"B3", "BANK-BIG"}, {"A1", "BANK-A"}
        }) {
      book.upsert(
          Fixtures.pledge(pledge[0], pledge[1], "CEA", 10_000, 500_000),
          quotes.get("CEA").orElseThrow(),
          null,
          Fixtures.NOW,
          Fixtures.TODAY);
    }
    Settings.Push settings =
        new Settings.Push(
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            100,
            10,
            1000,
            64,
            20,
            2,
            1,
            Settings.Push.DEFAULT_LOOP_SHARE);
    vertx
        .deployVerticle(
            new io.vertx.core.VerticleBase() {
              @Override
              public Future<?> start() {
                PushHub hub =
                    new PushHub(
                        vertx,
                        catalog,
                        quotes,
                        new ValuationBoard(book),
                        null,
                        settings,
                        new Metrics());
                return hub.start()
                    .compose(
                        v ->
                            vertx
                                .createHttpServer()
                                .requestHandler(
                                    request ->
                                        request
                                            .toWebSocket()
                                            .onSuccess(
                                                socket ->
                                                    new DeskSession(
                                                            vertx, socket, authentication, hub)
                                                        .start()))
                                .listen(0, "127.0.0.1"))
                    .onSuccess(server -> port = server.actualPort());
              }
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAuthenticatedDeskGetsASnapshotOfWhatItSubscribes(Vertx vertx, VertxTestContext ctx) {
    String token = viewer("BANK-A");
    converse(
        vertx,
        ctx,
        List.of(auth(token), subscribe(new JsonArray().add("prices:CEA"))),
        2,
        frames -> {
          assertEquals("authenticated", frames.get(0).getString("type"));
          assertEquals("BANK-A", frames.get(0).getString("bank"));
          JsonObject snapshot = frames.get(1);
          assertEquals("snapshot", snapshot.getString("type"));
          assertEquals("prices:CEA", snapshot.getString("channel"));
          assertEquals(
              "CEA",
              snapshot
                  .getJsonArray("items")
                  .getJsonObject(0)
                  .getJsonObject("data")
                  .getString("instrument"));
        });
  }

  @Test
  void aFrameBeforeTheAuthFrameClosesTheSocketAsUnauthenticated(Vertx vertx, VertxTestContext ctx) {
    client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onComplete(
            ctx.succeeding(
                socket -> {
                  socket.closeHandler(
                      closed ->
                          ctx.verify(
                              () -> {
                                assertEquals(
                                    SocketSession.CLOSE_UNAUTHENTICATED, socket.closeStatusCode());
                                ctx.completeNow();
                              }));
                  socket.writeTextMessage(subscribe(new JsonArray().add("prices")).encode());
                }));
  }

  @Test
  void aDeskWithoutABankRoleMayNotSubscribeToValuations(Vertx vertx, VertxTestContext ctx) {
    String token =
        authentication.mint("feed-1", Optional.empty(), List.of("feed"), Duration.ofMinutes(5));
    converse(
        vertx,
        ctx,
        List.of(auth(token), subscribe(new JsonArray().add("valuations"))),
        2,
        frames -> {
          assertEquals("forbidden-channel", frames.get(1).getString("code"));
        });
  }

  @Test
  void valuationsCoveringMoreThanTheLimitAreRefusedAndTheSocketGoesOn(
      Vertx vertx, VertxTestContext ctx) {
    String token = viewer("BANK-BIG");
    converse(
        vertx,
        ctx,
        List.of(
            auth(token),
            subscribe(new JsonArray().add("valuations")),
            subscribe(new JsonArray().add("prices:CEA"))),
        3,
        frames -> {
          assertEquals("scope-too-large", frames.get(1).getString("code"), frames.get(1).encode());
          assertTrue(frames.get(1).getString("detail").contains("3 live pledges"));
          assertEquals("snapshot", frames.get(2).getString("type"));
          assertEquals("prices:CEA", frames.get(2).getString("channel"));
        });
  }

  @Test
  void valuationsWithinTheLimitAreSubscribed(Vertx vertx, VertxTestContext ctx) {
    String token = viewer("BANK-A");
    converse(
        vertx,
        ctx,
        List.of(auth(token), subscribe(new JsonArray().add("valuations"))),
        2,
        frames -> {
          assertEquals("snapshot", frames.get(1).getString("type"), frames.get(1).encode());
          assertEquals(1, frames.get(1).getJsonArray("items").size());
        });
  }

  @Test
  void unknownChannelsAndOversizedSubscriptionsAreRefusedByCode(Vertx vertx, VertxTestContext ctx) {
    String token = viewer("BANK-A");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= DeskSession.MAX_CHANNELS_PER_FRAME; i++) {
      many.add("prices:CEA");
    }
    converse(
        vertx,
        ctx,
        List.of(
            auth(token),
            subscribe(new JsonArray().add("prices:NOPE")),
            subscribe(many),
            new JsonObject().put("op", "dance")),
        4,
        frames -> {
          assertEquals("unknown-channel", frames.get(1).getString("code"));
          assertEquals("too-many-channels", frames.get(2).getString("code"));
          assertEquals("unknown-op", frames.get(3).getString("code"));
        });
  }

  @Test
  void unsubscribingIsConfirmedWithTheChannels(Vertx vertx, VertxTestContext ctx) {
    String token = viewer("BANK-A");
    converse(
        vertx,
        ctx,
        List.of(
            auth(token),
            subscribe(new JsonArray().add("prices")),
            new JsonObject()
                .put("op", "unsubscribe")
                .put("channels", new JsonArray().add("prices"))),
        3,
        frames -> {
          assertEquals("unsubscribed", frames.get(2).getString("type"));
          assertTrue(frames.get(2).getJsonArray("channels").contains("prices"));
        });
  }

  /** Sends the frames in order and checks the first {@code expected} frames the server answers. */
  private void converse(
      Vertx vertx,
      VertxTestContext ctx,
      List<JsonObject> send,
      int expected,
      Consumer<List<JsonObject>> check) {
    List<JsonObject> received = new ArrayList<>();
    client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .onComplete(
            ctx.succeeding(
                (WebSocket socket) -> {
                  socket.textMessageHandler(
                      text -> {
                        JsonObject frame = new JsonObject(text);
                        if (!"heartbeat".equals(frame.getString("type"))
                            && !"update".equals(frame.getString("type"))) {
                          received.add(frame);
                        }
                        if (received.size() == expected) {
                          ctx.verify(() -> check.accept(received));
                          ctx.completeNow();
                        }
                      });
                  sendInOrder(socket, send, 0);
                }));
  }

  private static void sendInOrder(WebSocket socket, List<JsonObject> frames, int next) {
    if (next < frames.size()) {
      socket
          .writeTextMessage(frames.get(next).encode())
          .onSuccess(v -> sendInOrder(socket, frames, next + 1));
    }
  }

  /** A token of subject desk-1, a viewer of {@code bank}. */
  private String viewer(String bank) {
    return authentication.mint(
        "desk-1", Optional.of(bank), List.of("viewer"), Duration.ofMinutes(5));
  }

  private static JsonObject auth(String token) {
    return new JsonObject().put("op", "auth").put("token", token);
  }

  private static JsonObject subscribe(JsonArray channels) {
    return new JsonObject().put("op", "subscribe").put("channels", channels);
  }
}
