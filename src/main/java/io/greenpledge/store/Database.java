package io.greenpledge.store;

import io.greenpledge.config.Settings;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where PostgreSQL is: a server named by {@code GP_PG_URL}, or an embedded one the gateway starts
 * with its data kept under {@code GP_DATA_DIR/pg}. Starting is blocking and happens before Vert.x.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final PgConnectOptions connectOptions;
  private final Optional<EmbeddedPostgres> embedded;

  private Database(PgConnectOptions connectOptions, Optional<EmbeddedPostgres> embedded) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
  }

  public static Database start(Settings settings) {
    return settings.pgUrl()
        .map(url -> new Database(PgConnectOptions.fromUri(url.replaceFirst("^postgres://", "postgresql://")),
            Optional.empty()))
        .orElseGet(() -> startEmbedded(settings.dataDir().resolve("pg")));
  }

  /** Starts (or restarts, keeping its data) an embedded PostgreSQL in {@code directory}. */
  public static Database startEmbedded(Path directory) {
    return startEmbedded(directory, 0);
  }

  /** On a fixed port (0 = any free one), e.g. to restart a server where clients expect it. */
  public static Database startEmbedded(Path directory, int port) {
    try {
      Files.createDirectories(directory);
      long started = System.nanoTime();
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(directory)
          .setCleanDataDirectory(false)
          .setServerConfig("max_connections", "100")
          .setPort(port)
          .start();
      LOG.info("embedded PostgreSQL on port {} with data in {} (started in {} ms)", postgres.getPort(), directory,
          (System.nanoTime() - started) / 1_000_000);
      PgConnectOptions options = new PgConnectOptions()
          .setHost("localhost").setPort(postgres.getPort())
          .setUser("postgres").setPassword("postgres").setDatabase("postgres");
      return new Database(options, Optional.of(postgres));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + directory, e);
    }
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions(connectOptions);
  }


  @Override
  public void close() {
    embedded.ifPresent(postgres -> {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    });
  }
}
