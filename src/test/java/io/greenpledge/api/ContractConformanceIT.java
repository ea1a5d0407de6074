package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * A seeded property-based run driven by the contract itself: every operation of {@code
 * openapi/gateway.yaml}, called with every role (and no token, and a forged one), with parameters
 * and bodies drawn from valid, boundary and hostile values, plus a stateful sequence on a pledge
 * the run creates. Whatever comes back must be a status the contract documents for that operation,
 * never a 5xx, and every error a problem+json.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContractConformanceIT {

  private static final long SEED = 20261127L;
  private static final int CASES_PER_OPERATION = 60;

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "simulator,ingest",
          "GP_DEMO",
          "true",
          "GP_RATE_LIMIT",
          "0",
          "GP_INGEST_RATE_LIMIT",
          "0",
          "GP_AUTH_FAILURE_LIMIT",
          "0");

  private record Operation(
      String method,
      String path,
      String id,
      List<Map<String, Object>> parameters,
      boolean hasBody,
      Set<Integer> documented) {}

  @Test
  @DisplayName(
      "every operation, every role, random valid and hostile input: documented statuses only, no 5xx")
  void everyOperationAnswersOnlyWhatTheContractDocuments() throws Exception {
    List<Operation> operations = operations();
    assertEquals(46, operations.size(), "the contract's operations");
    Map<String, String> tokens = tokens();
    Random random = new Random(SEED);
    List<String> findings = new ArrayList<>();
    for (Operation operation : operations) {
      for (int i = 0; i < CASES_PER_OPERATION; i++) {
        String role = List.copyOf(tokens.keySet()).get(random.nextInt(tokens.size()));
        String path = "/api/v1" + fill(operation, random) + query(operation, random);
        String body = operation.hasBody() ? body(operation.id(), random) : null;
        check(
            operation,
            role,
            path,
            node.http().send(operation.method(), path, tokens.get(role), body),
            findings);
      }
    }
    assertEquals(List.of(), findings);
  }

  @Test
  @DisplayName("a pledge's life with hostile edits in between: documented statuses only, no 5xx")
  void aStatefulSequenceOnOnePledgeStaysWithinTheContract() throws Exception {
    Map<String, Operation> byId = new LinkedHashMap<>();
    operations().forEach(o -> byId.put(o.id(), o));
    String admin = node.tokens().token("conformance-admin", "DEMO-A", "viewer", "risk-admin");
    Random random = new Random(SEED + 1);
    List<String> findings = new ArrayList<>();
    Http.Response created = node.http().post("/api/v1/pledges", admin, validPledge().encode());
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    for (int i = 0; i < 80; i++) {
      String operationId =
          List.of("updatePledge", "getPledge", "getValuation", "listValuations", "releasePledge")
              .get(random.nextInt(5));
      Operation operation = byId.get(operationId);
      String path = "/api/v1" + operation.path().replace("{id}", id) + query(operation, random);
      String body = operation.hasBody() ? body(operationId, random) : null;
      check(
          operation,
          "risk-admin",
          path,
          node.http().send(operation.method(), path, admin, body),
          findings);
    }
    assertEquals(List.of(), findings);
  }

  @Test
  @DisplayName(
      "a method the contract does not list on a known path is 405 with Allow; an unknown path 404")
  void unlistedMethodsAre405() {
    String viewer = node.tokens().token("methods", "DEMO-A", "viewer");
    Http.Response delete =
        node.http().send("DELETE", "/api/v1/pledges/PLG-DEMO-A-0001", viewer, null);
    assertEquals(405, delete.status(), delete.body());
    assertTrue(delete.contentType().startsWith("application/problem+json"));
    assertEquals(404, node.http().get("/api/v1/nothing-here", viewer).status());
    // and on a known resource: a method it does not list, a path under it that is not one
    Http.Response post = node.http().post("/api/v1/prices", viewer, "{}");
    assertEquals(405, post.status(), post.body());
    assertTrue(post.contentType().startsWith("application/problem+json"));
    assertEquals(404, node.http().get("/api/v1/pledges/PLG-DEMO-A-0001/nothing", viewer).status());
    assertEquals(401, node.http().get("/api/v1/pledges/PLG-DEMO-A-0001/valuation", null).status());
    Http.Response read = node.http().get("/api/v1/pledges?limit=1", viewer);
    assertEquals(200, read.status(), read.body());
  }

  @Test
  @DisplayName(
      "a broken percent escape in the path or the query is a 400 problem, not a stack trace")
  void aBrokenPercentEscapeIsA400Problem() throws Exception {
    String viewer = node.tokens().token("escapes", "DEMO-A", "viewer");
    for (String target :
        List.of(
            "/api/v1/pledges/%zz/valuation", "/api/v1/alerts?after=%", "/api/v1/prices/%E0%A4")) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.gateway().httpPort())) {
        socket
            .getOutputStream()
            .write(
                ("GET "
                        + target
                        + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + viewer
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String response =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(
            response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.1 404"),
            target + " → " + abbreviate(response));
        assertTrue(
            response.toLowerCase().contains("content-type: application/problem+json"),
            target + " → " + response);
      }
    }
  }

  @Test
  @DisplayName(
      "query values are decoded once; out-of-range cursors, control characters and tiny quantities are 400s")
  void queryValuesAreDecodedOnceAndOddValuesAre400() {
    String viewer = node.tokens().token("decode", "DEMO-A", "viewer");
    String admin = node.tokens().token("decode-admin", "DEMO-A", "viewer", "risk-admin");
    assertEquals(
        400,
        node.http().get("/api/v1/alerts?after=%2531", viewer).status(),
        "%2531 is the text %31");
    assertEquals(400, node.http().get("/api/v1/alerts?after=9223372036854775808", viewer).status());
    assertEquals(
        400,
        node.http().get("/api/v1/pledges?after=" + "%2541".repeat(64), viewer).status(),
        "64 × %41 is 192 characters, over maxLength 64");
    Http.Response offset =
        node.http()
            .get(
                "/api/v1/pledges/PLG-DEMO-A-0001/valuations?from=2026-11-20T00:00:00%2B08:00",
                viewer);
    assertEquals(200, offset.status(), "a +08:00 offset can be sent: " + offset.body());
    for (String field : List.of("borrower", "loanId", "certificate")) {
      Http.Response nul =
          node.http().post("/api/v1/pledges", admin, validPledge().put(field, "a\u0000b").encode());
      assertEquals(400, nul.status(), field + ": " + nul.body());
      assertTrue(nul.body().contains(field), "the problem names " + field + ": " + nul.body());
    }
    // A borrower's credit code is checked (GB 32100): the problem says what is wrong.
    Http.Response wrongCheck =
        node.http()
            .post(
                "/api/v1/pledges",
                admin,
                validPledge().put("borrowerCode", "91350100M000100Y44").encode());
    assertEquals(400, wrongCheck.status(), wrongCheck.body());
    assertTrue(wrongCheck.body().contains("ends in '3'"), wrongCheck.body());
    Http.Response wrongCharset =
        node.http()
            .post(
                "/api/v1/pledges",
                admin,
                validPledge().put("borrowerCode", "91350100M0001O0Y43").encode());
    assertEquals(400, wrongCharset.status(), wrongCharset.body());
    assertTrue(wrongCharset.body().contains("character set"), wrongCharset.body());
    Http.Response noCode =
        node.http().post("/api/v1/pledges", admin, withoutCode(validPledge()).encode());
    assertEquals(400, noCode.status(), noCode.body());
    assertTrue(noCode.body().contains("borrowerCode"), noCode.body());
    Http.Response tiny =
        node.http().post("/api/v1/pledges", admin, validPledge().put("quantity", 1e-7).encode());
    assertEquals(400, tiny.status(), tiny.body());
  }

  private static JsonObject withoutCode(JsonObject pledge) {
    pledge.remove("borrowerCode");
    return pledge;
  }

  private static void check(
      Operation operation,
      String role,
      String path,
      Http.Response response,
      List<String> findings) {
    int status = response.status();
    boolean problem = status < 400 || response.contentType().startsWith("application/problem+json");
    if (status >= 500 || !operation.documented().contains(status) || !problem) {
      findings.add(
          status
              + " ("
              + response.contentType()
              + ") for "
              + role
              + " "
              + operation.method()
              + " "
              + path
              + ": "
              + abbreviate(response.body()));
    }
  }

  // --- the contract, read as data ---------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static List<Operation> operations() throws Exception {
    Map<String, Object> contract =
        new Yaml().load(Files.readString(Path.of("openapi", "gateway.yaml")));
    List<Operation> operations = new ArrayList<>();
    Map<String, Object> paths = (Map<String, Object>) contract.get("paths");
    paths.forEach(
        (path, item) ->
            ((Map<String, Object>) item)
                .forEach(
                    (method, raw) -> {
                      Map<String, Object> op = (Map<String, Object>) raw;
                      Set<Integer> documented = new TreeSet<>();
                      ((Map<Object, Object>) op.get("responses"))
                          .keySet()
                          .forEach(code -> documented.add(Integer.parseInt(code.toString())));
                      Map<String, Object> shared =
                          (Map<String, Object>)
                              ((Map<String, Object>) contract.get("components")).get("parameters");
                      List<Map<String, Object>> parameters =
                          ((List<Map<String, Object>>) op.getOrDefault("parameters", List.of()))
                              .stream()
                                  .map(
                                      p ->
                                          p.containsKey("$ref")
                                              ? (Map<String, Object>)
                                                  shared.get(
                                                      p.get("$ref")
                                                          .toString()
                                                          .replace("#/components/parameters/", ""))
                                              : p)
                                  .toList();
                      operations.add(
                          new Operation(
                              method.toUpperCase(),
                              path,
                              (String) op.get("operationId"),
                              parameters,
                              op.containsKey("requestBody"),
                              documented));
                    }));
    return operations;
  }

  private static Map<String, String> tokens() {
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("viewer", node.tokens().token("c-viewer", "DEMO-A", "viewer"));
    tokens.put("risk-admin", node.tokens().token("c-admin", "DEMO-A", "viewer", "risk-admin"));
    tokens.put("regulator", node.tokens().token("c-regulator", null, "regulator"));
    tokens.put("feed", node.tokens().token("c-feed", null, "feed"));
    tokens.put("market-admin", node.tokens().token("c-market", null, "market-admin"));
    tokens.put("forged", node.tokens().token("c-viewer", "DEMO-A", "viewer") + "x");
    tokens.put("none", null);
    return tokens;
  }

  // --- values -----------------------------------------------------------------------------------

  private static final List<String> HOSTILE =
      List.of(
          "",
          "-1",
          "0",
          "1e400",
          "NaN",
          "9223372036854775808",
          "%2531",
          "%2541".repeat(64),
          "2026-11-20T00:00:00+08:00",
          "2026-13-45",
          "碳",
          "' OR 1=1 --",
          "\u0000",
          "x".repeat(300),
          "true",
          "[1]",
          "{}",
          "%");

  private static String fill(Operation operation, Random random) {
    String path = operation.path();
    for (Map<String, Object> parameter : operation.parameters()) {
      if ("path".equals(parameter.get("in"))) {
        String value =
            random.nextInt(3) == 0
                ? pick(HOSTILE, random)
                : pick(
                    List.of("PLG-DEMO-A-0001", "PLG-DEMO-B-0001", "CEA", "CQ-SO2", "EUA"), random);
        path = path.replace("{" + parameter.get("name") + "}", encode(value));
      }
    }
    return path;
  }

  private static String query(Operation operation, Random random) {
    StringBuilder query = new StringBuilder();
    for (Map<String, Object> parameter : operation.parameters()) {
      if (!"query".equals(parameter.get("in")) || random.nextInt(3) == 0) {
        continue;
      }
      String value =
          random.nextBoolean()
              ? pick(HOSTILE, random)
              : plausible((String) parameter.get("name"), random);
      query
          .append(query.length() == 0 ? "?" : "&")
          .append(parameter.get("name"))
          .append('=')
          .append(value.matches("(%[0-9A-F]{2})+") ? value : encode(value));
    }
    return query.toString();
  }

  private static String plausible(String name, Random random) {
    return switch (name) {
      case "after" -> String.valueOf(random.nextInt(500));
      case "limit" -> String.valueOf(1 + random.nextInt(1000));
      case "interval" -> pick(List.of("1m", "1h", "1d"), random);
      case "from", "to" ->
          pick(
              List.of("2026-11-20T00:00:00+08:00", "2026-11-27T00:00:00Z", "2020-01-01T00:00:00Z"),
              random);
      case "state" -> pick(List.of("ACTIVE", "RELEASED"), random);
      case "bank" -> pick(List.of("DEMO-A", "DEMO-B"), random);
      default -> "1";
    };
  }

  private static String body(String operationId, Random random) {
    if (random.nextInt(3) == 0) {
      return io.greenpledge.reliability.HostileInputIT.value(random, 0);
    }
    return switch (operationId) {
      case "createPledge" -> mutate(validPledge(), random).encode();
      case "updatePledge" -> mutate(new JsonObject().put("outstanding", 400_000), random).encode();
      case "ingestTicks" ->
          new JsonObject()
              .put(
                  "ticks",
                  new JsonArray()
                      .add(
                          mutate(
                              new JsonObject()
                                  .put("instrument", "CEA")
                                  .put("price", 71.0)
                                  .put("quantity", 10)
                                  .put("ts", java.time.Instant.now().toString())
                                  .put("seq", random.nextInt(1_000_000)),
                              random)))
              .encode();
      case "importHistory" ->
          new JsonObject()
              .put("instrument", "CQCER")
              .put(
                  "bars",
                  new JsonArray()
                      .add(
                          mutate(
                              new JsonObject()
                                  .put("date", "2025-03-0" + (3 + random.nextInt(5)))
                                  .put("close", 30.0)
                                  .put("volume", 10),
                              random)))
              .encode();
      case "runStress" ->
          mutate(new JsonObject().put("shocks", new JsonObject().put("CEA", -0.3)), random)
              .encode();
      default -> "{}";
    };
  }

  private static JsonObject validPledge() {
    return new JsonObject()
        .put("borrower", "Conformance Co")
        .put("borrowerCode", "91350100M000100Y43")
        .put("loanId", "L-" + System.nanoTime())
        .put("instrument", "CEA")
        .put("quantity", 1000)
        .put("certificate", "C-" + System.nanoTime())
        .put("outstanding", 40_000);
  }

  /** One field replaced by a boundary or hostile value, sometimes one field added. */
  private static JsonObject mutate(JsonObject valid, Random random) {
    JsonObject copy = valid.copy();
    if (random.nextBoolean() && !copy.isEmpty()) {
      String field = List.copyOf(copy.fieldNames()).get(random.nextInt(copy.size()));
      Object value =
          pick(
              List.<Object>of(
                  -1,
                  0,
                  1e-7,
                  0.00001,
                  1e15,
                  Double.MAX_VALUE,
                  "碳",
                  "a\u0000b",
                  "",
                  new JsonArray(),
                  new JsonObject(),
                  9223372036854775807L,
                  true),
              random);
      copy.put(field, value);
    }
    if (random.nextInt(5) == 0) {
      copy.put("unexpected", 1);
    }
    return copy;
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
