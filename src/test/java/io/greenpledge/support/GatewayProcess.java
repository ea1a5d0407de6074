package io.greenpledge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as users run it: its own JVM, started by {@code Main} on the embedded default (no
 * {@code GP_PG_URL}, PostgreSQL under {@code GP_DATA_DIR/pg}), so crash tests can kill it, its
 * postmaster, or both, exactly as an OOM killer or an operator would.
 */
public final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final int port;

  private GatewayProcess(Process process, Path dataDir, Path log, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code Main serve} with only the given GP_* settings and waits (bounded) until it is
   * ready.
   */
  public static GatewayProcess start(Path dataDir, int port, Map<String, String> settings)
      throws IOException {
    Path log = dataDir.resolve("gateway-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.greenpledge.Main",
                "serve")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = new HashMap<>(settings);
    env.putIfAbsent("GP_MANAGEMENT_PORT", "0");
    env.put("GP_HTTP_PORT", String.valueOf(port));
    env.put("GP_HTTP_HOST", "127.0.0.1");
    env.put("GP_DATA_DIR", dataDir.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("GP_"));
    builder.environment().putAll(env);
    GatewayProcess gateway = new GatewayProcess(builder.start(), dataDir, log, port);
    gateway.awaitReady(90);
    return gateway;
  }

  private void awaitReady(int seconds) {
    Http http = http();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the gateway exited at start (" + process.exitValue() + "):\n" + log());
      }
      try {
        // ready, and the start finished (the public port answers a moment before the rest is up)
        if (http.get("/health/ready", null).status() == 200 && log().contains("gateway ready")) {
          return;
        }
      } catch (RuntimeException notYetListening) {
        Thread.onSpinWait();
      }
    }
    throw new AssertionError("the gateway was not ready within " + seconds + " s:\n" + log());
  }

  public Http http() {
    return new Http(port);
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /**
   * The postmaster as PostgreSQL recorded it: line 1 of postmaster.pid is its pid, line 4 its port.
   */
  public long postmasterPid() {
    return Long.parseLong(pidFileLine(0));
  }

  public int postgresPort() {
    return Integer.parseInt(pidFileLine(3));
  }

  private String pidFileLine(int index) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"));
      return lines.get(index).trim();
    } catch (IOException e) {
      throw new AssertionError("no postmaster.pid in " + dataDir.resolve("pg"), e);
    }
  }

  /** A JDBC connection to the embedded server, for checking what the gateway stored. */
  public Connection database() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + postgresPort() + "/postgres", "postgres", "postgres");
  }

  /** SIGKILL of the gateway's JVM: no shutdown hook runs, the detached postmaster survives it. */
  public void killGateway() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("the gateway survived SIGKILL");
    }
  }

  /** SIGKILL of the postmaster alone. */
  public void killPostmaster() {
    Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid());
    postmaster.ifPresent(ProcessHandle::destroyForcibly);
    postmaster.ifPresent(p -> p.onExit().join());
  }

  /** What an OOM kill of the container does: the postmaster and the gateway, at once. */
  public void killAll() throws InterruptedException {
    long pid = postmasterPid();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    killGateway();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
  }

  /**
   * SIGTERM, as Kubernetes stops a pod; returns how long the gateway took to exit, in milliseconds.
   */
  public long terminate(int seconds) throws InterruptedException {
    long started = System.nanoTime();
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the gateway did not stop within " + seconds + " s:\n" + log());
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate(60);
    }
  }
}
