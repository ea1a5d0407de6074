package io.greenpledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayProcess;
import io.greenpledge.support.Ports;
import io.greenpledge.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the embedded default, as most users run it: the demo tokens printed at start and a token the
 * CLI mints beside the running gateway are in the audit trail (subject, bank, roles, expiry and a
 * SHA-256 fingerprint, never the token), and `audit verify` checks the chain without stopping it.
 */
class TokenAuditIT {

  @TempDir Path dataDir;

  @Test
  void everyTokenTheGatewaySignsIsRecordedBeforeItIsHandedOut() throws Exception {
    try (GatewayProcess gateway =
        GatewayProcess.start(
            dataDir, Ports.free(), Map.of("GP_FEEDS", "ingest", "GP_DEMO", "true"))) {
      Cli minted = cli("token", "--bank", "DEMO-A", "--roles", "viewer", "--sub", "wall-3f");
      assertEquals(0, minted.exit(), minted.output());
      String token = minted.output().strip();
      assertEquals(3, token.split("\\.").length, token);

      String regulator = Tokens.local(dataDir).token("reg", null, "regulator");
      JsonArray entries =
          gateway.http().get("/api/v1/audit?limit=1000", regulator).json().getJsonArray("items");
      List<JsonObject> tokens =
          entries.stream()
              .map(e -> (JsonObject) e)
              .filter(e -> e.getString("action").equals("token.minted"))
              .toList();
      assertEquals(
          List.of("demo-viewer-a", "demo-admin-a", "demo-regulator", "demo-connector", "wall-3f"),
          tokens.stream().map(e -> e.getString("entityId")).toList(),
          tokens.toString());
      JsonObject wall = new JsonObject(tokens.get(4).getString("after"));
      assertEquals("DEMO-A", wall.getString("bank"));
      assertEquals(new JsonArray().add("viewer"), wall.getJsonArray("roles"));
      assertEquals(MintedToken.fingerprint(token), wall.getString("sha256"));
      assertTrue(!tokens.toString().contains(token), "the token itself is never stored");
      assertTrue(tokens.get(4).getString("actor").startsWith("cli:"), tokens.get(4).encode());
      // A bank sees its own tokens only; the regulator's and connector's are no bank's.
      String demoAdmin = Tokens.local(dataDir).token("a", "DEMO-A", "risk-admin");
      String seen = gateway.http().get("/api/v1/audit?limit=1000", demoAdmin).json().encode();
      assertTrue(seen.contains("wall-3f") && !seen.contains("demo-regulator"), seen);

      Cli verified = cli("audit", "verify");
      assertEquals(0, verified.exit(), verified.output());
      assertTrue(verified.output().startsWith("audit trail intact"), verified.output());
    }
  }

  private record Cli(int exit, String output) {}

  private Cli cli(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.greenpledge.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("GP_"));
    builder.environment().put("GP_DATA_DIR", dataDir.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    return new Cli(process.exitValue(), process.exitValue() == 0 ? out : out + err);
  }
}
