package io.greenpledge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validator's shortcut for plain string parameters gives what vertx-openapi's transformer
 * gives, value for value, on the contract's own string path parameters.
 */
class InlineRequestValidatorTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void readTheContract() throws Exception {
    vertx = Vertx.vertx();
    contract =
        OpenAPIContract.from(
                vertx,
                HttpVerticle.forValidator(
                    vertx.fileSystem().readFile(HttpVerticle.CONTRACT).await(10, TimeUnit.SECONDS)))
            .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The contract's parameters the filter takes, in every operation. */
  private static List<Parameter> parameters(java.util.function.Predicate<Parameter> filter) {
    return contract.operations().stream()
        .flatMap(o -> o.getParameters().stream())
        .filter(filter)
        .toList();
  }

  @Test
  void aPlainStringParameterIsTransformedAsTheLibraryTransformsIt() throws Exception {
    List<Parameter> strings =
        parameters(
            p -> p.getStyle() == Style.SIMPLE && SchemaType.STRING.equals(p.getSchemaType()));
    assertTrue(!strings.isEmpty(), "the contract has string path parameters");
    SimpleTransformer library = new SimpleTransformer();
    String alphabet = "aZk09-_.~ \"\\中é:/+%\t{}[],";
    SplittableRandom random = new SplittableRandom(7);
    List<String> chosen =
        List.of(
            "PLG-DEMO-A-0001",
            "true",
            "false",
            "null",
            "NaN",
            "Infinity",
            "trueish",
            "nullable",
            "123",
            "-1",
            "1e3",
            "2026-11-27",
            "\"quoted\"",
            "a\"b",
            "a\\nb",
            "",
            "x",
            "DEMO-B");
    int shortcut = 0;
    for (int i = 0; i < 20_000 + chosen.size(); i++) {
      String raw;
      if (i < chosen.size()) {
        raw = chosen.get(i);
      } else {
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(12);
        for (int j = 0; j < length; j++) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        raw = b.toString();
      }
      Parameter parameter = strings.get(random.nextInt(strings.size()));
      Object expected;
      try {
        expected = library.transform(parameter, raw);
      } catch (RuntimeException e) {
        expected = e.getClass();
      }
      Object actual;
      try {
        actual = InlineRequestValidator.transform(library, parameter, raw);
      } catch (RuntimeException e) {
        actual = e.getClass();
      }
      assertEquals(expected, actual, "value " + raw);
      if (actual == raw) {
        shortcut++;
      }
    }
    assertTrue(shortcut > 1_000, "the shortcut ran " + shortcut + " times");
  }

  /**
   * The direct check of a string parameter's length and pattern passes exactly the values the
   * library's validator passes, on every string parameter of the contract it applies to.
   */
  @Test
  void aStringParameterIsCheckedDirectlyAsTheLibraryChecksIt() throws Exception {
    List<Parameter> bounded =
        parameters(p -> InlineRequestValidator.StringBounds.of(p.getSchema()) != null);
    assertTrue(
        bounded.stream().anyMatch(p -> p.getSchema().containsKey("maxLength"))
            && bounded.stream().anyMatch(p -> p.getSchema().containsKey("pattern")),
        "the contract's pledge id (a length) and instrument id (a pattern) are checked directly: "
            + bounded.stream().map(Parameter::getName).toList());
    String alphabet = "AZ09az-_. \u00e9\u4e2d\t\u0000\u007f\ud83d\ude00\ud800";
    SplittableRandom random = new SplittableRandom(11);
    int passed = 0;
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      Parameter parameter = bounded.get(random.nextInt(bounded.size()));
      StringBuilder b = new StringBuilder();
      // around the contract's bounds: 0 to 70 characters, some beyond 32 and 64
      int length = random.nextInt(4) == 0 ? random.nextInt(71) : random.nextInt(12);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = b.toString();
      boolean library =
          contract
              .getSchemaRepository()
              .validator(parameter.getSchema())
              .validate(value)
              .getValid();
      boolean direct = InlineRequestValidator.StringBounds.of(parameter.getSchema()).passes(value);
      assertEquals(library, direct, parameter.getName() + " = " + value);
      if (direct) {
        passed++;
      } else {
        refused++;
      }
    }
    assertTrue(passed > 1_000 && refused > 1_000, passed + " passed, " + refused + " refused");
  }
}
