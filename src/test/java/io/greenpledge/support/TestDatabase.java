package io.greenpledge.support;

import io.greenpledge.store.Database;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run (embedded, as the gateway runs by default), with a
 * fresh database per test class so tests never see each other's rows. Set GP_TEST_PG_URL to use an
 * external server instead.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Database server;

  private TestDatabase() {}

  /** A GP_PG_URL pointing at a new, empty database. */
  public static synchronized String freshUrl() {
    PgConnectOptions options = server().connectOptions();
    String name = "gp_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    String admin = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/postgres";
    try (Connection connection =
            DriverManager.getConnection(admin, options.getUser(), options.getPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return "postgresql://"
        + options.getUser()
        + ":"
        + options.getPassword()
        + "@"
        + options.getHost()
        + ":"
        + options.getPort()
        + "/"
        + name;
  }

  /** A JDBC connection to a database named by a GP_PG_URL, for checking what the gateway wrote. */
  public static Connection connect(String pgUrl) throws SQLException {
    java.net.URI uri = java.net.URI.create(pgUrl);
    String[] credentials = uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        credentials[0],
        credentials[1]);
  }

  private static Database server() {
    if (server == null) {
      server = Database.startEmbedded(Path.of("target", "test-pg").toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    return server;
  }
}
