package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WebSocket protocol's contract is valid AsyncAPI (the AsyncAPI CLI, installed by
 * ops/install-test-tools.sh, says so) and is what the gateway serves. That every frame the tests
 * receive matches it is checked by every {@link io.greenpledge.support.WsClient}.
 */
class AsyncApiContractIT {

  static final Path CONTRACT = Path.of("asyncapi", "gateway.yaml");

  @RegisterExtension static final GatewayExtension node = new GatewayExtension("GP_DEMO", "false");

  @Test
  void theContractValidatesWithTheAsyncApiCli() throws Exception {
    Path cli = Path.of(".tools", "asyncapi", "node_modules", ".bin", "asyncapi");
    assertTrue(
        Files.isExecutable(cli), cli + " is missing: run bash ops/install-test-tools.sh first");
    ProcessBuilder builder =
        new ProcessBuilder(
                cli.toString(), "validate", CONTRACT.toString(), "--fail-severity", "error")
            .redirectErrorStream(true);
    builder.environment().put("ASYNCAPI_METRICS", "false");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("is valid"), output);
  }

  @Test
  void theGatewayServesIt() throws Exception {
    var served = node.http().get("/asyncapi.yaml", null);
    assertEquals(200, served.status());
    assertEquals(Files.readString(CONTRACT), served.body());
  }
}
