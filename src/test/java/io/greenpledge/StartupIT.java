package io.greenpledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.Ports;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot succeed stops at once, before anything is started or seeded, with a message
 * that names the setting (and the file and line for a config file) and the reason.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StartupIT {

  @TempDir Path dir;

  private record Outcome(int exit, String output) {}

  private Outcome serve(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.greenpledge.Main",
                "serve"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("GP_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the failed start ended");
    return new Outcome(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * The embedded default, as most users run it, starts, serves and stops without a single warning
   * in its log.
   */
  @Test
  void theEmbeddedDefaultStartsAndStopsWithoutAWarning() throws Exception {
    Path data = Files.createDirectories(dir.resolve("clean"));
    io.greenpledge.support.GatewayProcess gateway =
        io.greenpledge.support.GatewayProcess.start(data, Ports.free(), Map.of());
    String token = io.greenpledge.support.Tokens.local(data).token("desk", "DEMO-A", "viewer");
    assertEquals(200, gateway.http().get("/api/v1/portfolio", token).status());
    gateway.close();
    String log = gateway.log();
    assertTrue(log.contains("gateway stopped"), log);
    List<String> warnings =
        log.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    assertEquals(List.of(), warnings, log); // the whole log: a warning's cause follows its line
    assertTrue(log.contains("(" + nativeTransportHere() + " transport)"), log);
  }

  /** io_uring where this kernel allows it (asked of Netty apart from the gateway), else epoll. */
  private static String nativeTransportHere() {
    if (!SocketTransport.shipped()) {
      return "NIO";
    }
    return io.netty.channel.uring.IoUring.isAvailable() ? "io_uring" : "epoll";
  }

  @Test
  void theSocketsRunOnEpollOrJavaNioWhenAsked() throws Exception {
    Map<String, String> asked =
        Map.of("epoll", SocketTransport.shipped() ? "epoll" : "NIO", "false", "NIO");
    for (Map.Entry<String, String> setting : asked.entrySet()) {
      Path data = Files.createDirectories(dir.resolve("transport-" + setting.getKey()));
      io.greenpledge.support.GatewayProcess gateway =
          io.greenpledge.support.GatewayProcess.start(
              data, Ports.free(), Map.of("GP_NATIVE_TRANSPORT", setting.getKey()));
      String token = io.greenpledge.support.Tokens.local(data).token("desk", "DEMO-A", "viewer");
      assertEquals(200, gateway.http().get("/api/v1/portfolio", token).status());
      gateway.close();
      assertTrue(gateway.log().contains("(" + setting.getValue() + " transport)"), gateway.log());
    }
  }

  @Test
  void aPortInUseIsNamedBeforeTheDatabaseStarts() throws Exception {
    int port = Ports.free();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", port));
      Path data = dir.resolve("data");
      Outcome outcome =
          serve(
              Map.of(
                  "GP_HTTP_PORT",
                  String.valueOf(port),
                  "GP_HTTP_HOST",
                  "127.0.0.1",
                  "GP_DATA_DIR",
                  data.toString()));
      assertEquals(2, outcome.exit(), outcome.output());
      assertTrue(
          outcome.output().contains("GP_HTTP_PORT") && outcome.output().contains(":" + port),
          outcome.output());
      assertFalse(
          Files.exists(data.resolve("pg")),
          "no database was started for a start that cannot listen");
    }
  }

  @Test
  void aDataDirectoryThatCannotBeWrittenIsNamedWithTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Outcome outcome =
        serve(
            Map.of(
                "GP_HTTP_PORT",
                String.valueOf(Ports.free()),
                "GP_HTTP_HOST",
                "127.0.0.1",
                "GP_DATA_DIR",
                file.resolve("data").toString()));
    assertEquals(1, outcome.exit(), outcome.output());
    assertTrue(outcome.output().contains("GP_DATA_DIR"), outcome.output());
    assertTrue(outcome.output().contains("not-a-directory"), outcome.output());
  }

  @Test
  void aBadConfigFileLineIsNamedWithTheFileAndTheLine() throws Exception {
    Path config =
        Files.writeString(dir.resolve("gateway.conf"), "GP_HTTP_PORT=9000\nGP_DEMO: yes\n");
    Outcome outcome = serve(Map.of(), "--config", config.toString());
    assertEquals(2, outcome.exit(), outcome.output());
    assertTrue(outcome.output().contains("gateway.conf line 2"), outcome.output());
  }
}
