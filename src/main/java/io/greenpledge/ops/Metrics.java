package io.greenpledge.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's business metrics, beside Vert.x's own HTTP/WebSocket/pool metrics in the same
 * Prometheus registry. Every name is here. Labels are bounded: instrument (the catalog), reason and
 * kind (enums), status (four values), bank (the banks using the gateway) — never a pledge id.
 */
public final class Metrics {

  public static final String TICKS_ACCEPTED = "gp.ticks.accepted";
  public static final String TICKS_REJECTED = "gp.ticks.rejected";
  public static final String FEED_AGE = "gp.feed.age.seconds";
  public static final String MARK_PRICE = "gp.mark.price";
  public static final String INSTRUMENT_STALE = "gp.instrument.stale";
  public static final String TICK_TO_VALUATION = "gp.tick.to.valuation";
  public static final String TICK_TO_PUSH = "gp.tick.to.push";
  public static final String WS_CONNECTIONS = "gp.ws.connections";
  public static final String WS_CONFLATED = "gp.ws.updates.conflated";
  public static final String WS_SLOW_CLOSED = "gp.ws.slow.closed";
  public static final String WS_WINDOW = "gp.ws.window.seconds";
  public static final String PLEDGES = "gp.pledges";
  public static final String MIN_COVERAGE = "gp.coverage.min";
  public static final String ALERTS = "gp.alerts";
  public static final String JOURNAL_LAG = "gp.journal.lag.seconds";
  public static final String JOURNAL_QUEUED = "gp.journal.queued";
  public static final String JOURNAL_BATCH = "gp.journal.batch.size";
  public static final String JOURNAL_FAILURES = "gp.journal.failures";
  public static final String JOURNAL_REFUSED = "gp.journal.refused";
  public static final String DATABASE_UP = "gp.database.up";
  public static final String DATABASE_RESTARTS = "gp.database.restarts";
  public static final String CONNECTIONS_REFUSED = "gp.connections.refused";

  private final PrometheusMeterRegistry registry = newRegistry();

  /** HTTP latency buckets: 5, 10, 25, 50, 100, 250, 500 ms, 1 s and 2.5 s, in nanoseconds. */
  private static final double[] LATENCY_BUCKETS_NANOS = {
    5e6, 10e6, 25e6, 50e6, 100e6, 250e6, 500e6, 1e9, 2.5e9
  };

  /** The registry every metric goes to, with the HTTP latency histogram the dashboard reads. */
  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        // HTTP latency as a histogram (p99 by route on the dashboard): fixed buckets, 5 ms to 2.5 s
        .meterFilter(
            new io.micrometer.core.instrument.config.MeterFilter() {
              @Override
              public io.micrometer.core.instrument.distribution.DistributionStatisticConfig
                  configure(
                      io.micrometer.core.instrument.Meter.Id id,
                      io.micrometer.core.instrument.distribution.DistributionStatisticConfig
                          config) {
                if (!id.getName().equals("vertx.http.server.response.time")) {
                  return config;
                }
                return io.micrometer.core.instrument.distribution.DistributionStatisticConfig
                    .builder()
                    .serviceLevelObjectives(LATENCY_BUCKETS_NANOS)
                    .build()
                    .merge(config);
              }
            });
    return registry;
  }

  private final Map<String, AtomicLong> gaugeValues = new ConcurrentHashMap<>();
  private final Timer tickToValuation;
  private final Timer tickToPush;
  private final DistributionSummary journalBatch;

  public Metrics() {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    tickToValuation =
        latency(
            TICK_TO_VALUATION, "Time from a tick's source timestamp to the revaluation it caused");
    tickToPush =
        latency(
            TICK_TO_PUSH,
            "Time from a tick's source timestamp to its frame being written to a desk");
    REFUSAL_REASONS.forEach(reason -> registry.counter(CONNECTIONS_REFUSED, "reason", reason));
    journalBatch =
        DistributionSummary.builder(JOURNAL_BATCH)
            .description("Ticks per journal write")
            .serviceLevelObjectives(1.0, 10.0, 100.0, 1000.0, 5000.0)
            .register(registry);
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5))
        .register(registry);
  }

  /**
   * Creates every labelled counter at zero, so dashboards and alert rules find each series from the
   * first scrape instead of after its first event.
   */
  public void preRegister(
      java.util.List<String> instruments,
      java.util.List<String> reasons,
      java.util.List<String> alertKinds) {
    for (String instrument : instruments) {
      registry.counter(TICKS_ACCEPTED, "instrument", instrument);
      reasons.forEach(
          reason -> registry.counter(TICKS_REJECTED, "instrument", instrument, "reason", reason));
    }
    reasons.forEach(
        reason -> registry.counter(TICKS_REJECTED, "instrument", "unknown", "reason", reason));
    alertKinds.forEach(kind -> registry.counter(ALERTS, "kind", kind));
    registry.counter(WS_CONFLATED, "bank", "-");
    registry.counter(WS_SLOW_CLOSED, "bank", "-");
    registry.counter(JOURNAL_FAILURES);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private final Map<String, AtomicLong> connections = new ConcurrentHashMap<>();

  /** Open desk sockets of a bank, shared by every HTTP verticle instance. */
  public AtomicLong wsConnections(String bank) {
    return connections.computeIfAbsent(
        bank,
        b -> {
          AtomicLong count = new AtomicLong();
          Gauge.builder(WS_CONNECTIONS, count, AtomicLong::get).tags("bank", b).register(registry);
          return count;
        });
  }

  private final java.util.concurrent.atomic.AtomicInteger hubs =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A push hub's desk window, {@code gp_ws_window_seconds{hub}} (one hub per HTTP verticle, so the
   * label is bounded by GP_HTTP_INSTANCES): how often a desk gets a frame at most. It is the
   * configured window, longer while writing the hub's desks would take more than its share of its
   * event loop ({@code GP_WS_LOOP_SHARE}). Tick-to-push latency does not show a longer window:
   * conflation keeps each update's own age low, while a desk is refreshed less often. The hub sets
   * the returned milliseconds.
   */
  public AtomicLong deskWindowMillis() {
    AtomicLong millis = new AtomicLong();
    Gauge.builder(WS_WINDOW, millis, m -> m.get() / 1000.0)
        .tags("hub", String.valueOf(hubs.getAndIncrement()))
        .register(registry);
    return millis;
  }

  /**
   * Counters looked up once per label set, not per tick: the registry lookup costs more than the
   * count.
   */
  private final Map<String, Counter> accepted = new ConcurrentHashMap<>();

  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  public void tickAccepted(String instrument) {
    accepted
        .computeIfAbsent(instrument, i -> registry.counter(TICKS_ACCEPTED, "instrument", i))
        .increment();
  }

  /**
   * Unknown instruments are counted under "unknown" so a garbage feed cannot blow up the label set.
   */
  public void tickRejected(String instrument, boolean known, String reason) {
    String label = known ? instrument : "unknown";
    rejected
        .computeIfAbsent(
            label + '|' + reason,
            k -> registry.counter(TICKS_REJECTED, "instrument", label, "reason", reason))
        .increment();
  }

  public void tickToValuation(long millis) {
    tickToValuation.record(Duration.ofMillis(Math.max(0, millis)));
  }

  public void tickToPush(long millis) {
    tickToPush.record(Duration.ofMillis(Math.max(0, millis)));
  }

  private final Map<String, Counter> conflated = new ConcurrentHashMap<>();

  /** Called for every superseded update in a window: the counter is looked up once per bank. */
  public void conflated(String bank) {
    conflated.computeIfAbsent(bank, b -> registry.counter(WS_CONFLATED, "bank", b)).increment();
  }

  public void slowClosed(String bank) {
    registry.counter(WS_SLOW_CLOSED, "bank", bank).increment();
  }

  public void alert(String kind) {
    registry.counter(ALERTS, "kind", kind).increment();
  }

  public void journalBatch(int size) {
    journalBatch.record(size);
  }

  public Counter journalFailures() {
    return registry.counter(JOURNAL_FAILURES);
  }

  /** Why a connection can be refused; each series exists from the first scrape, at zero. */
  public static final java.util.List<String> REFUSAL_REASONS =
      java.util.List.of(
          "connections-per-address", "unauthenticated-sockets-per-address", "header-timeout");

  /** A connection or WebSocket refused by a per-address limit, or closed by the header timeout. */
  public void connectionRefused(String reason) {
    registry.counter(CONNECTIONS_REFUSED, "reason", reason).increment();
  }

  /**
   * Ticks the database refused as data and that were rejected alone (the rest of their group
   * stored).
   */
  public Counter journalRefused() {
    return registry.counter(JOURNAL_REFUSED);
  }

  /** A gauge read from a function (instrument prices, feed age, journal lag…). */
  public void gauge(String name, Tags tags, Supplier<Number> value) {
    Gauge.builder(name, value).tags(tags).strongReference(true).register(registry);
  }

  /**
   * A gauge whose value is set (pledges by status, minimum coverage…); the double is kept as its
   * bits.
   */
  public void set(String name, Tags tags, double value) {
    gaugeValues
        .computeIfAbsent(
            name + tags,
            k -> {
              AtomicLong bits = new AtomicLong();
              Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                  .tags(tags)
                  .register(registry);
              return bits;
            })
        .set(Double.doubleToLongBits(value));
  }
}
