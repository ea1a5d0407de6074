package io.greenpledge.config;

import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.TradingHours;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the gateway, read and validated once at start-up (see {@link SettingsLoader})
 * and passed to the components that need it.
 */
public record Settings(
    Http http,
    Store store,
    Feeds feeds,
    Market market,
    Push push,
    Jwt jwt,
    boolean demo,
    Cluster cluster,
    RateLimits rateLimits,
    FourEyes fourEyes) {

  /**
   * Maker–checker: which actions need a second risk-admin of the same bank, and how long a request
   * waits for one.
   */
  public record FourEyes(Set<String> actions, Duration ttl) {

    /** Every action that can be put under four-eyes, by the gateway's default or a bank. */
    public static final Set<String> KNOWN =
        Set.of(
            "pledge.lines",
            "pledge.release-with-call",
            "pledge.quantity-down",
            "pledge.cash-margin-down",
            "call.cancel",
            "disposal.decide",
            "limits.change");
  }

  /**
   * Where the HTTP server listens; {@code instances} verticles share the port, one per event loop.
   */
  /**
   * @param managementHost where /metrics and health listen: loopback by default, the pod's IP in
   *     Kubernetes
   * @param managementPort 0: a free port
   * @param managementToken empty: /metrics needs no token (the port is reachable by the monitoring
   *     namespace only)
   * @param transport every socket (HTTP, WebSockets, PostgreSQL, the cluster's event bus) on it
   */
  public record Http(
      String host,
      int port,
      int instances,
      String managementHost,
      int managementPort,
      Optional<String> managementToken,
      Transport transport) {

    public Http(String host, int port, int instances) {
      this(host, port, instances, "127.0.0.1", 0, Optional.empty(), Transport.NATIVE);
    }
  }

  /** The sockets' transport (GP_NATIVE_TRANSPORT), as the operator asked for it. */
  public enum Transport {
    /** io_uring where the kernel allows it (a container's seccomp profile may not), else epoll. */
    NATIVE,
    /** epoll only: where io_uring is allowed but not wanted. */
    EPOLL,
    /** Java NIO. */
    NIO
  }

  /**
   * The database and what is written to it.
   *
   * @param pgUrl empty: the embedded PostgreSQL under {@code dataDir}
   * @param journalWriters journal groups written side by side, each on its own connection
   */
  public record Store(
      Path dataDir,
      Optional<String> pgUrl,
      int poolSize,
      int journalMaxBatch,
      int journalWriters,
      Duration valuationSnapshot) {}

  /** The tick sources the gateway runs, and how. */
  /**
   * @param replayKeepsTimestamps journal the replay file's trades with their own times (a backfill)
   *     instead of restamping them with the time they are sent
   */
  public record Feeds(
      Set<Feed> enabled,
      long simulatorSeed,
      Optional<Path> replayFile,
      double replaySpeed,
      boolean replayKeepsTimestamps) {}

  /** How the market is read: sessions, the mark's basis, the clock skew a tick may have. */
  public record Market(
      TradingHours tradingHours, MarkBasis markBasis, Duration maxFutureSkew, int callDueDays) {}

  /**
   * Push to desks.
   *
   * @param window conflation window: a socket gets at most one update frame per window
   * @param slowClose a socket unwritable for longer than this is closed (1008, "slow consumer")
   * @param idleTimeout a client that sends nothing (not even a ping) for this long is closed
   * @param heartbeat how often an idle socket gets a heartbeat frame
   * @param maxQueuedAlerts alerts are never dropped: a socket with more queued than this is closed
   *     instead
   * @param maxValuations the live pledges a desk's valuations subscription may cover
   * @param shards each event loop's desks are written in this many turns spread over the window
   * @param loopShare percent of each event loop's time the desks' frames may take: a hub whose
   *     writing takes more lengthens its desks' window
   */
  public record Push(
      Duration window,
      Duration slowClose,
      Duration idleTimeout,
      Duration heartbeat,
      int maxQueuedAlerts,
      int maxPerSubject,
      int maxPerBank,
      int maxSubscriptions,
      int framesPerSecond,
      int maxValuations,
      int shards,
      int loopShare) {

    /** The loop share the gateway ships with (BENCHMARKS.md, "A third of the loop"). */
    public static final int DEFAULT_LOOP_SHARE = 33;

    /** With the default socket limits and loop share, the desks written in one turn. */
    public Push(
        Duration window,
        Duration slowClose,
        Duration idleTimeout,
        Duration heartbeat,
        int maxQueuedAlerts) {
      this(
          window,
          slowClose,
          idleTimeout,
          heartbeat,
          maxQueuedAlerts,
          10,
          1000,
          64,
          20,
          50_000,
          1,
          DEFAULT_LOOP_SHARE);
    }

    /** The same, with the desks of each event loop written in {@code count} shards. */
    public Push withShards(int count) {
      return with(count, loopShare);
    }

    /** The same, with the desks' frames taking at most {@code percent} of each event loop. */
    public Push withLoopShare(int percent) {
      return with(shards, percent);
    }

    private Push with(int shards, int loopShare) {
      return new Push(
          window,
          slowClose,
          idleTimeout,
          heartbeat,
          maxQueuedAlerts,
          maxPerSubject,
          maxPerBank,
          maxSubscriptions,
          framesPerSecond,
          maxValuations,
          shards,
          loopShare);
    }
  }

  /**
   * Per-token limits: REST requests per second (burst twice that) and ingested ticks per second; 0
   * = off.
   *
   * @param authFailuresPerSecond failed authentications per client address (burst ×2); past it, 429
   * @param connectionsPerAddress open connections per client address; past it, new ones are closed
   * @param unauthenticatedSocketsPerAddress WebSockets per address still waiting for their auth
   *     frame
   */
  public record RateLimits(
      double requestsPerSecond,
      double ticksPerSecond,
      double authFailuresPerSecond,
      int connectionsPerAddress,
      int unauthenticatedSocketsPerAddress) {}

  /**
   * Clustered mode: replicas join over Hazelcast and share the feed on the clustered event bus.
   *
   * @param members TCP/IP discovery: other members as host[:port]
   * @param service Kubernetes discovery: the headless Service of the replicas
   */
  public record Cluster(
      boolean enabled,
      Discovery discovery,
      String host,
      int port,
      List<String> members,
      String service) {

    /** How members find each other. */
    public enum Discovery {
      TCP,
      KUBERNETES
    }
  }

  /** The tick sources the gateway runs. */
  public enum Feed {
    SIMULATOR,
    REPLAY,
    INGEST
  }

  /** How tokens are verified, and how local ones are minted. */
  public record Jwt(
      String issuer,
      String audience,
      List<Path> publicKeys,
      Optional<String> jwksUrl,
      Duration defaultTtl,
      Duration maxTtl,
      Duration jwksRefresh) {

    public Jwt(
        String issuer,
        String audience,
        List<Path> publicKeys,
        Optional<String> jwksUrl,
        Duration defaultTtl,
        Duration maxTtl) {
      this(issuer, audience, publicKeys, jwksUrl, defaultTtl, maxTtl, Duration.ofMinutes(10));
    }

    /** No identity provider configured: the gateway signs and verifies with its own key. */
    public boolean usesLocalKey() {
      return publicKeys.isEmpty() && jwksUrl.isEmpty();
    }
  }

  public boolean embeddedDatabase() {
    return store.pgUrl().isEmpty();
  }

  public boolean runs(Feed feed) {
    return feeds.enabled().contains(feed);
  }
}
