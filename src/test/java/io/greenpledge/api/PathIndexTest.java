package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The path index finds what vertx-web's routes found: each operation's route tried in the
 * contract's order, a template's parameter one non-empty segment, one trailing slash ignored, and a
 * path known with other methods only a 405 with all of them.
 */
class PathIndexTest {

  private static Vertx vertx;
  private static List<Operation> operations;

  @BeforeAll
  static void readTheContract() throws Exception {
    vertx = Vertx.vertx();
    OpenAPIContract contract =
        OpenAPIContract.from(
                vertx,
                HttpVerticle.forValidator(
                    vertx.fileSystem().readFile(HttpVerticle.CONTRACT).await(10, TimeUnit.SECONDS)))
            .await(30, TimeUnit.SECONDS);
    operations = contract.operations();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "on the contract's own paths, 30,000 random requests find the operation, parameters, 405 or"
          + " 404 that the routes tried in turn found")
  void findsWhatTheRoutesTriedInTurnFound() {
    PathIndex<String> index = new PathIndex<>();
    List<Route> routes = new ArrayList<>();
    TreeSet<String> literals = new TreeSet<>();
    for (Operation operation : operations) {
      String method = operation.getHttpMethod().name();
      String template = operation.getOpenAPIPath();
      index.add(method, template, operation.getOperationId());
      routes.add(Route.of(method, template, operation.getOperationId()));
      for (String segment : template.split("/")) {
        if (!segment.isEmpty() && !segment.startsWith("{")) {
          literals.add(segment);
        }
      }
    }
    List<String> pool = new ArrayList<>(literals);
    List<String> ids = List.of("PLG-DEMO-A-0001", "17", "CQEA", "renew", "trend", "%E6%B1%A1", "");
    pool.addAll(ids);
    List<String> methods = List.of("GET", "POST", "PATCH", "PUT", "DELETE");
    SplittableRandom random = new SplittableRandom(22);
    Map<String, Integer> outcomes = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      StringBuilder path = new StringBuilder();
      String method = methods.get(random.nextInt(methods.size()));
      if (random.nextBoolean()) { // a contract path with values in its parameters
        Route route = routes.get(random.nextInt(routes.size()));
        String template = route.template();
        method = random.nextBoolean() ? route.method() : method;
        path.append(template.replaceAll("\\{[^/}]+}", ids.get(random.nextInt(ids.size()))));
      } else {
        int segments = random.nextInt(5);
        for (int s = 0; s < segments; s++) {
          path.append('/').append(pool.get(random.nextInt(pool.size())));
        }
      }
      if (path.length() == 0 || random.nextInt(8) == 0) {
        path.append('/');
      }
      String expected = reference(routes, method, path.toString());
      String found = describe(index.find(method, path.toString()));
      assertEquals(expected, found, method + " " + path);
      outcomes.merge(expected.substring(0, 3), 1, Integer::sum);
    }
    // the random paths reach every kind of answer, often enough to mean something
    assertTrue(outcomes.getOrDefault("200", 0) > 5_000, outcomes.toString());
    assertTrue(outcomes.getOrDefault("405", 0) > 5_000, outcomes.toString());
    assertTrue(outcomes.getOrDefault("404", 0) > 5_000, outcomes.toString());
  }

  @Test
  @DisplayName(
      "a literal segment comes first, and a parameter takes it when the literal path lacks the"
          + " method")
  void literalsFirstThenParameters() {
    PathIndex<String> index =
        new PathIndex<String>()
            .add("GET", "/displays", "listDisplays")
            .add("POST", "/displays/renew", "renewDisplay")
            .add("DELETE", "/displays/{id}", "revokeDisplay")
            .add("POST", "/displays/{id}", "touchDisplay")
            .add("GET", "/pledges/{id}/valuation", "getValuation");
    assertEquals("200 renewDisplay {}", describe(index.find("POST", "/displays/renew")));
    assertEquals("200 touchDisplay {id=other}", describe(index.find("POST", "/displays/other")));
    assertEquals(
        "200 revokeDisplay {id=renew}", describe(index.find("DELETE", "/displays/renew/")));
    assertEquals("405 [DELETE, POST]", describe(index.find("GET", "/displays/renew")));
    assertEquals(
        "200 getValuation {id=PLG%2D1}", describe(index.find("GET", "/pledges/PLG%2D1/valuation")));
    assertEquals("404", describe(index.find("GET", "/pledges//valuation")));
    assertEquals("404", describe(index.find("GET", "/pledges/1/valuation//")));
    assertEquals("404", describe(index.find("GET", "/")));
  }

  @Test
  @DisplayName("a template given twice, or with a malformed segment, is refused when added")
  void refusesDuplicateAndMalformedTemplates() {
    PathIndex<String> index = new PathIndex<String>().add("GET", "/a/{id}", "one");
    assertThrows(IllegalArgumentException.class, () -> index.add("GET", "/a/{id}", "two"));
    assertThrows(IllegalArgumentException.class, () -> index.add("GET", "/a/{}", "three"));
    assertThrows(IllegalArgumentException.class, () -> index.add("GET", "/a//b", "four"));
    assertThrows(IllegalArgumentException.class, () -> index.add("GET", "/a/x{id}", "five"));
  }

  private static String describe(PathIndex.Lookup<String> lookup) {
    if (lookup instanceof PathIndex.Found<String> found) {
      return "200 " + found.value() + " " + new java.util.TreeMap<>(found.parameters());
    }
    if (lookup instanceof PathIndex.WrongMethod<String> wrong) {
      return "405 " + wrong.allowed();
    }
    return "404";
  }

  /** vertx-web's way, written apart: each route's expression in turn, then its method. */
  private static String reference(List<Route> routes, String method, String path) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      if (!route.method().equals(method)) {
        allowed.add(route.method());
        continue;
      }
      Map<String, String> parameters = new java.util.TreeMap<>();
      for (int g = 0; g < route.names().size(); g++) {
        parameters.put(route.names().get(g), m.group(g + 1));
      }
      return "200 " + route.operationId() + " " + parameters;
    }
    return allowed.isEmpty() ? "404" : "405 " + List.copyOf(allowed);
  }

  private record Route(
      String method, String template, Pattern pattern, List<String> names, String operationId) {
    static Route of(String method, String template, String operationId) {
      List<String> names = new ArrayList<>();
      Matcher m = Pattern.compile("\\{([^/}]+)}").matcher(template);
      while (m.find()) {
        names.add(m.group(1));
      }
      String regex = template.replaceAll("\\{[^/}]+}", "([^/]+)");
      return new Route(method, template, Pattern.compile(regex + "/?"), names, operationId);
    }
  }
}
