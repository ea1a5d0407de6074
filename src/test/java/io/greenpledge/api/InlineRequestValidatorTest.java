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
import org.junit.jupiter.api.Test;

/**
 * The validator's shortcut for plain string parameters gives what vertx-openapi's transformer
 * gives, value for value, on the contract's own string path parameters.
 */
class InlineRequestValidatorTest {

  @Test
  void aPlainStringParameterIsTransformedAsTheLibraryTransformsIt() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract =
          OpenAPIContract.from(
                  vertx,
                  HttpVerticle.forValidator(
                      vertx
                          .fileSystem()
                          .readFile(HttpVerticle.CONTRACT)
                          .await(10, TimeUnit.SECONDS)))
              .await(30, TimeUnit.SECONDS);
      List<Parameter> strings =
          contract.operations().stream()
              .flatMap(o -> o.getParameters().stream())
              .filter(
                  p -> p.getStyle() == Style.SIMPLE && SchemaType.STRING.equals(p.getSchemaType()))
              .toList();
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
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
