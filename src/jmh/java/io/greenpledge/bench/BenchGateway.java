package io.greenpledge.bench;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.LocalKeys;
import io.greenpledge.config.SettingsLoader;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gateway in a JVM of its own for the load tools, as in production ({@code Main serve} on this
 * class path), with the given GP_* settings over its embedded defaults, a free public port and a
 * free management port; ready when constructed. Mints tokens with the local key it keeps.
 */
final class BenchGateway implements AutoCloseable {

  final Path data;
  final int port;
  final int managementPort;
  private final Process process;

  /** CPU the gateway process has used since it started (all its threads). */
  java.time.Duration cpu() {
    return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
  }

  private final Vertx vertx = Vertx.vertx();

  /**
   * @param jvmOptions options of the gateway's JVM; {@code -Dbench.java=PATH} on the tool runs the
   *     gateway on another JDK's {@code java}
   */
  BenchGateway(Map<String, String> settings, List<String> jvmOptions) throws Exception {
    this(settings, jvmOptions, Scratch.directory("gp-bench"));
  }

  /**
   * A gateway keeping its files in {@code data}: the nodes of one cluster share it, so one local
   * key signs the tokens every node accepts (the database is {@code GP_PG_URL}'s).
   */
  BenchGateway(Map<String, String> settings, List<String> jvmOptions, Path data) throws Exception {
    this.data = data;
    try (java.net.ServerSocket a = new java.net.ServerSocket(0);
        java.net.ServerSocket b = new java.net.ServerSocket(0)) {
      port = a.getLocalPort();
      managementPort = b.getLocalPort();
    }
    List<String> command = new java.util.ArrayList<>();
    String cpus = System.getProperty("bench.gateway.cpus");
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.add(
        System.getProperty(
            "bench.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.greenpledge.Main", "serve"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("gateway-" + port + ".log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("GP_"));
    Map<String, String> env = new HashMap<>(settings);
    env.put("GP_DATA_DIR", data.toString());
    env.put("GP_HTTP_PORT", String.valueOf(port));
    env.put("GP_HTTP_HOST", "127.0.0.1");
    env.put("GP_MANAGEMENT_PORT", String.valueOf(managementPort));
    builder.environment().putAll(env);
    process = builder.start();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        Thread.sleep(200); // waiting for another process to listen, not a test's synchronisation
      }
    }
    throw new IllegalStateException("the gateway was not ready in 120 s; see " + data);
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** A token signed with the gateway's local key. */
  String mint(String subject, Optional<String> bank, List<String> roles, Duration ttl) {
    var settings = SettingsLoader.load(Optional.empty(), Map.of("GP_DATA_DIR", data.toString()));
    return Authentication.local(vertx, settings.jwt(), LocalKeys.loadOrCreate(data))
        .mint(subject, bank, roles, ttl);
  }

  @Override
  public void close() throws Exception {
    vertx.close();
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
