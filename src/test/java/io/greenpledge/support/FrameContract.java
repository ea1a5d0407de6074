package io.greenpledge.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The frames the gateway may send on each WebSocket path, as the AsyncAPI contract
 * (asyncapi/gateway.yaml) describes them: every frame a test client receives is checked against
 * them.
 */
public final class FrameContract {

  private static final Map<String, Validator> VALIDATORS = validators();

  private FrameContract() {}

  /** Why the frame does not match any message the contract lets the gateway send there, or null. */
  public static String violation(String path, JsonObject frame) {
    Validator validator = VALIDATORS.get(path);
    if (validator == null) {
      return null;
    }
    OutputUnit result = validator.validate(frame);
    return result.getValid()
        ? null
        : frame.encode() + " matches no message of " + path + ": " + result.getErrors();
  }

  /** YAML as JSON: maps as objects, lists as arrays, the rest as is. */
  private static Object json(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((k, v) -> object.put(String.valueOf(k), json(v)));
      return object;
    }
    if (yaml instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(v -> array.add(json(v)));
      return array;
    }
    return yaml;
  }

  /**
   * What the gateway may send on each address: the messages of the contract's {@code send}
   * operations, by their channel's address.
   */
  private static Map<String, List<String>> sent(JsonObject document) {
    Map<String, List<String>> sent = new java.util.HashMap<>();
    JsonObject operations = document.getJsonObject("operations");
    for (String name : operations.fieldNames()) {
      JsonObject operation = operations.getJsonObject(name);
      if (!"send".equals(operation.getString("action"))) {
        continue;
      }
      String channelRef = operation.getJsonObject("channel").getString("$ref");
      JsonObject channel =
          document
              .getJsonObject("channels")
              .getJsonObject(channelRef.substring(channelRef.lastIndexOf('/') + 1));
      List<String> messages =
          sent.computeIfAbsent(channel.getString("address"), a -> new java.util.ArrayList<>());
      for (Object ref : operation.getJsonArray("messages")) {
        String path = ((JsonObject) ref).getString("$ref");
        String key = path.substring(path.lastIndexOf('/') + 1);
        String target = channel.getJsonObject("messages").getJsonObject(key).getString("$ref");
        messages.add(target.substring(target.lastIndexOf('/') + 1));
      }
    }
    return sent;
  }

  private static Map<String, Validator> validators() {
    JsonObject document;
    try {
      Object yaml =
          new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("asyncapi", "gateway.yaml")));
      document = (JsonObject) json(yaml);
    } catch (IOException e) {
      throw new IllegalStateException("the AsyncAPI contract could not be read", e);
    }
    Map<String, Validator> validators = new java.util.HashMap<>();
    sent(document)
        .forEach(
            (path, messages) -> {
              JsonArray oneOf = new JsonArray();
              messages.forEach(
                  m ->
                      oneOf.add(
                          new JsonObject().put("$ref", "#/components/messages/" + m + "/payload")));
              JsonObject schema =
                  new JsonObject()
                      .put("components", document.getJsonObject("components"))
                      .put("oneOf", oneOf);
              validators.put(
                  path,
                  Validator.create(
                      JsonSchema.of(schema),
                      new JsonSchemaOptions()
                          .setDraft(Draft.DRAFT202012)
                          .setBaseUri("https://greenpledge.io/asyncapi/gateway.yaml")));
            });
    return Map.copyOf(validators);
  }
}
