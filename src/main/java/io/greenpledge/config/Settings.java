package io.greenpledge.config;

import io.greenpledge.market.TradingHours;
import io.greenpledge.market.MarkBasis;
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
    String httpHost,
    int httpPort,
    int httpInstances,
    Path dataDir,
    Optional<String> pgUrl,
    int pgPoolSize,
    Set<Feed> feeds,
    long simulatorSeed,
    TradingHours tradingHours,
    Optional<Path> replayFile,
    double replaySpeed,
    MarkBasis markBasis,
    Duration maxFutureSkew,
    int journalMaxBatch,
    Duration valuationSnapshot,
    Duration wsWindow,
    Duration wsSlowClose,
    Duration wsIdleTimeout,
    Jwt jwt,
    boolean demo,
    Cluster cluster,
    RateLimits rateLimits) {

  /** Per-token limits: REST requests per second (burst twice that) and ingested ticks per second; 0 = off. */
  /**
   * @param authFailuresPerSecond failed authentications per client address (burst ×2); past it, 429
   * @param connectionsPerAddress open connections per client address; past it, new ones are closed
   * @param unauthenticatedSocketsPerAddress WebSockets per address still waiting for their auth frame
   */
  public record RateLimits(double requestsPerSecond, double ticksPerSecond, double authFailuresPerSecond,
      int connectionsPerAddress, int unauthenticatedSocketsPerAddress) {}

  /**
   * Clustered mode: replicas join over Hazelcast and share the feed on the clustered event bus.
   *
   * @param members TCP/IP discovery: other members as host[:port]
   * @param service Kubernetes discovery: the headless Service of the replicas
   */
  public record Cluster(boolean enabled, Discovery discovery, String host, int port, List<String> members,
      String service) {

    /** How members find each other. */
    public enum Discovery { TCP, KUBERNETES }
  }

  /** The tick sources the gateway runs. */
  public enum Feed { SIMULATOR, REPLAY, INGEST }

  /** How tokens are verified, and how local ones are minted. */
  public record Jwt(
      String issuer,
      String audience,
      List<Path> publicKeys,
      Optional<String> jwksUrl,
      Duration defaultTtl,
      Duration maxTtl) {

    /** No identity provider configured: the gateway signs and verifies with its own key. */
    public boolean usesLocalKey() {
      return publicKeys.isEmpty() && jwksUrl.isEmpty();
    }
  }

  public boolean embeddedDatabase() {
    return pgUrl.isEmpty();
  }

  public boolean runs(Feed feed) {
    return feeds.contains(feed);
  }
}
