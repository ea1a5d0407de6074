package io.greenpledge.store;

import io.greenpledge.config.Settings;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where PostgreSQL is: a server named by {@code GP_PG_URL}, or an embedded one the gateway starts
 * and supervises with its data kept under {@code GP_DATA_DIR/pg}. Starting is blocking and happens
 * before Vert.x; {@link #close()} stops an embedded server and is called last, after the journal is
 * flushed.
 */
public final class Database implements AutoCloseable {

  private final PgConnectOptions connectOptions;
  private final Optional<EmbeddedPostgresServer> embedded;

  private Database(PgConnectOptions connectOptions, Optional<EmbeddedPostgresServer> embedded) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  public static Database start(Settings settings) {
    return settings
        .store()
        .pgUrl()
        .map(
            url ->
                new Database(
                    PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://")),
                    Optional.empty()))
        .orElseGet(() -> startEmbedded(settings.store().dataDir().resolve("pg")));
  }

  /**
   * How to reach the embedded server a running gateway owns in {@code directory}: its port from the
   * postmaster's {@code postmaster.pid} (4th line), the embedded credentials.
   */
  public static PgConnectOptions runningEmbedded(Path directory) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(directory.resolve("postmaster.pid"));
      return new PgConnectOptions()
          .setHost("localhost")
          .setPort(Integer.parseInt(lines.get(3).trim()))
          .setUser("postgres")
          .setPassword("postgres")
          .setDatabase("postgres");
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalStateException(
          "a gateway holds " + directory + " but its server's port could not be read: " + e, e);
    }
  }

  /** Starts (or restarts, keeping its data) an embedded PostgreSQL in {@code directory}. */
  public static Database startEmbedded(Path directory) {
    return startEmbedded(directory, 0);
  }

  /** On a fixed port (0 = any free one), e.g. to restart a server where clients expect it. */
  public static Database startEmbedded(Path directory, int port) {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, port);
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(server.port())
            .setUser("postgres")
            .setPassword("postgres")
            .setDatabase("postgres");
    return new Database(options, Optional.of(server));
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(connectOptions);
  }

  public boolean isEmbedded() {
    return embedded.isPresent();
  }

  /**
   * False once an embedded server died and could not be restarted; an external server is not ours
   * to judge.
   */
  public boolean healthy() {
    return embedded.map(EmbeddedPostgresServer::healthy).orElse(true);
  }

  /** Restarts of the embedded server after it died under the gateway. */
  public long restarts() {
    return embedded.map(EmbeddedPostgresServer::restarts).orElse(0L);
  }

  /** The embedded postmaster's pid, for operators and crash tests. */
  public Optional<Long> postmasterPid() {
    return embedded.flatMap(EmbeddedPostgresServer::postmasterPid);
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedPostgresServer::close);
  }
}
