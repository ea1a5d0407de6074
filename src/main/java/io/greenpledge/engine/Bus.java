package io.greenpledge.engine;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.market.Quote;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Every event-bus address of the gateway, with its message type, its codec and typed helpers, in
 * one place (as Eclipse Hono's {@code NotificationEventBusSupport} does): callers never touch a raw
 * address or register a codec. In-process messages are immutable records passed by reference
 * ({@link LocalCodec}); only the two cluster topics cross nodes, as JSON.
 */
public final class Bus {

  /**
   * {@link TickBatch} from any feed to the market; replies with {@link TickBatch.Outcomes} once
   * stored.
   */
  public static final Service<TickBatch, TickBatch.Outcomes> TICKS =
      new Service<>("gp.ticks", TickBatch.class, TickBatch.Outcomes.class);

  /**
   * {@link PledgeChange} from the REST layer to the risk engine; replies with {@link
   * PledgeChange.Result}.
   */
  public static final Service<PledgeChange, PledgeChange.Result> BOOK =
      new Service<>("gp.book", PledgeChange.class, PledgeChange.Result.class);

  /**
   * {@link Quote} published after each change of an instrument's market, once its ticks are stored.
   */
  public static final Topic<Quote> QUOTES = Topic.local("gp.quotes", Quote.class);

  /**
   * {@link Quote} published, just before its {@link #QUOTES} message, when the instrument went
   * stale or fresh.
   */
  public static final Topic<Quote> STALENESS = Topic.local("gp.staleness", Quote.class);

  /**
   * {@link HistoryChanged} after an import through this node's API: its market re-reads those days.
   */
  public static final Topic<HistoryChanged> HISTORY =
      Topic.local("gp.history", HistoryChanged.class);

  /** {@link CallMoved} after a desk's move on a margin call is stored: the engine tells it. */
  public static final Topic<CallMoved> CALL_MOVES = Topic.local("gp.call-moves", CallMoved.class);

  /** {@link ValuationBatch} published after each revaluation, for push. */
  public static final Topic<ValuationBatch> VALUATIONS =
      Topic.local("gp.valuations", ValuationBatch.class);

  /** {@link Alert} published once persisted (it has its per-bank seq then). */
  public static final Topic<Alert> ALERTS = Topic.local("gp.alerts", Alert.class);

  /** Clustered mode: ticks accepted on one node, as JSON, for the markets of the other nodes. */
  public static final Topic<JsonObject> CLUSTER_TICKS = Topic.cluster("gp.cluster.ticks");

  /** Clustered mode: id of a pledge changed through one node's API, for the other nodes' books. */
  public static final Topic<JsonObject> CLUSTER_BOOK = Topic.cluster("gp.cluster.book");

  /**
   * A change request created or decided through one node's API, as {@code {bank, request}}: every
   * node's desks on the {@code change-requests} channel hear of it.
   */
  public static final Topic<JsonObject> CLUSTER_CHANGE_REQUESTS =
      Topic.cluster("gp.cluster.change-requests");

  private static final List<Class<?>> LOCAL_TYPES =
      List.of(
          TickBatch.class,
          TickBatch.Outcomes.class,
          PledgeChange.class,
          PledgeChange.Result.class,
          Quote.class,
          ValuationBatch.class,
          HistoryChanged.class,
          CallMoved.class,
          Alert.class);

  private Bus() {}

  /** Registers the local codecs; once per Vert.x instance, before any verticle is deployed. */
  public static void registerCodecs(Vertx vertx) {
    LOCAL_TYPES.forEach(type -> register(vertx.eventBus(), type));
  }

  private static <T> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new LocalCodec<>(type));
  }

  /**
   * A publish–subscribe address. A local topic never leaves the JVM; a cluster topic reaches every
   * node's consumer.
   */
  public record Topic<T>(String address, Class<T> type, boolean local) {

    static <T> Topic<T> local(String address, Class<T> type) {
      return new Topic<>(address, type, true);
    }

    static Topic<JsonObject> cluster(String address) {
      return new Topic<>(address, JsonObject.class, false);
    }

    public void publish(Vertx vertx, T message) {
      vertx.eventBus().publish(address, message);
    }

    /** Subscribes the calling context (its event loop) to this topic. */
    public MessageConsumer<T> subscribe(Vertx vertx, Handler<T> handler) {
      Handler<Message<T>> unwrap = message -> handler.handle(message.body());
      return local
          ? vertx.eventBus().localConsumer(address, unwrap)
          : vertx.eventBus().consumer(address, unwrap);
    }
  }

  /**
   * A point-to-point address with one consumer (the owner of the state the request changes) and a
   * typed reply.
   */
  public record Service<Q, R>(String address, Class<Q> requestType, Class<R> replyType) {

    /** Asks and waits at most {@code timeout} for the reply. */
    public Future<R> request(Vertx vertx, Q message, Duration timeout) {
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
      return vertx.eventBus().<R>request(address, message, options).map(Message::body);
    }

    /** Sends without waiting for the reply (a simulator, a replay: nobody to tell). */
    public void send(Vertx vertx, Q message) {
      vertx.eventBus().send(address, message);
    }

    /**
     * Serves the requests on the calling context; the handler replies with {@link Message#reply}.
     */
    public MessageConsumer<Q> serve(Vertx vertx, Handler<Message<Q>> handler) {
      return vertx.eventBus().localConsumer(address, handler);
    }
  }
}
