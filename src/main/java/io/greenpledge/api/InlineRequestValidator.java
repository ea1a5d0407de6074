package io.greenpledge.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract's request validation, with the same checks and errors as vertx-openapi's, but run on
 * the event loop for operations without a request body. vertx-openapi hands every validation to a
 * worker ({@code executeBlocking}, ordered per context): for a GET with one path parameter that is
 * two thread hops for microseconds of work, and in the profile of {@code GET
 * /pledges/{id}/valuation} it was a fifth of the CPU and the source of its latency tail. Requests
 * with a body (whose schema validation can take long) still go to vertx-openapi's worker. A
 * parameter's schema validator is built once: built per request it copied the contract's schema map
 * every time.
 */
final class InlineRequestValidator extends RequestValidatorImpl {

  private final OpenAPIContract contract;

  /**
   * vertx-openapi's own transformers (its map is private); styles without one go to its refusal.
   */
  private final Map<Style, ParameterTransformer> transformers =
      new EnumMap<>(
          Map.of(
              Style.SIMPLE,
              new SimpleTransformer(),
              Style.LABEL,
              new LabelTransformer(),
              Style.MATRIX,
              new MatrixTransformer(),
              Style.FORM,
              new FormTransformer()));

  private final Map<Parameter, Check> checks = new ConcurrentHashMap<>();

  /**
   * A parameter's schema check, built once: the library's validator, and for a string schema that
   * only bounds length and pattern, the same bounds checked directly. A value the direct check
   * passes is valid; any other goes to the library, which gives the error. The library's validator
   * interprets the schema map on each call (and compiles a pattern each time): in the profile of
   * {@code GET /pledges/{id}/valuation} it was a twentieth of the CPU for one short id.
   */
  private record Check(Validator library, StringBounds direct) {

    OutputUnit validate(Object value) {
      return direct != null && direct.passes(value) ? VALID : library.validate(value);
    }
  }

  private static final OutputUnit VALID = new OutputUnit(true);

  InlineRequestValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    this.contract = contract;
  }

  /**
   * The handler the router builder would install for an operation (see {@code RouterBuilderImpl}),
   * with this validator: the validated request is put on the context, a violation fails it with
   * 400.
   */
  Handler<RoutingContext> handler(RequestExtractor extractor, Operation operation) {
    return ctx ->
        (operation.getRequestBody() != null
                ? extractor
                    .extractValidatableRequest(ctx, operation)
                    .compose(request -> validate(request, operation.getOperationId()))
                : validateParameters(decodedOnce(ctx, operation), operation))
            .onSuccess(
                validated -> {
                  ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
                  ctx.next();
                })
            .onFailure(
                e ->
                    ctx.fail(
                        e instanceof ValidatorException
                            ? new HttpException(400, e.getMessage(), e)
                            : e));
  }

  /**
   * The request's parameters as Vert.x decoded them, once. vertx-openapi 5.0's extractor takes the
   * already decoded query and decodes it again: {@code after=%2531} was validated as 1 and handled
   * as "%31" (a 500), {@code %2B08:00} became a space, and a decoded {@code %} broke the decoder.
   * The contract's query and path parameters are primitives, so the first value is the value.
   */
  private static ValidatableRequest decodedOnce(RoutingContext ctx, Operation operation) {
    Map<String, RequestParameter> query = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      String name = param.getName();
      switch (param.getIn()) {
        case QUERY -> {
          java.util.List<String> values = ctx.queryParam(name);
          query.put(name, new RequestParameterImpl(values.isEmpty() ? null : values.get(0)));
        }
        case PATH -> path.put(name, new RequestParameterImpl(ctx.pathParam(name)));
        case HEADER -> headers.put(name, new RequestParameterImpl(ctx.request().getHeader(name)));
        case COOKIE -> {}
      }
    }
    return new io.vertx.openapi.validation.impl.ValidatableRequestImpl(
        Map.of(), headers, path, query);
  }

  /** vertx-openapi's validation of an operation without a body, on the calling thread. */
  private Future<ValidatedRequest> validateParameters(
      ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    try {
      for (Parameter param : operation.getParameters()) {
        String name = param.getName();
        switch (param.getIn()) {
          case COOKIE ->
              cookies.put(name, validateParameter(param, request.getCookies().get(name)));
          case HEADER ->
              headers.put(name, validateParameter(param, request.getHeaders().get(name)));
          case PATH ->
              path.put(name, validateParameter(param, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validateParameter(param, request.getQuery().get(name)));
        }
      }
    } catch (ValidatorException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture(
        new ValidatedRequestImpl(cookies, headers, path, query, new RequestParameterImpl(null)));
  }

  /**
   * The transformer's value, without its cost where the answer is known. For a string parameter it
   * tries to read the raw value as JSON, and when that fails (it does for an id like {@code
   * PLG-DEMO-A-0001}: a parse exception with its stack trace) reads it again in quotes: two JSON
   * parses and an exception per request, a sixth of the CPU of {@code GET /pledges/{id}/valuation}.
   * A value that starts with a letter, is not one of JSON's literals, and holds no quote, backslash
   * or control character always ends there as itself, so it is returned at once; every other value
   * takes the transformer's path ({@code InlineRequestValidatorTest} compares both on random
   * values).
   */
  static Object transform(ParameterTransformer transformer, Parameter parameter, String raw) {
    if (parameter.getStyle() == Style.SIMPLE
        && SchemaType.STRING.equals(parameter.getSchemaType())
        && plainWord(raw)) {
      return raw;
    }
    return transformer.transform(parameter, raw);
  }

  private static boolean plainWord(String raw) {
    if (raw.isEmpty()) {
      return false;
    }
    char first = raw.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
      return false;
    }
    switch (raw) {
      case "true", "false", "null", "NaN", "Infinity" -> {
        return false;
      }
      default -> {}
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return false;
      }
    }
    return true;
  }

  /**
   * As vertx-openapi's, with the parameter's schema validator built once instead of per request.
   */
  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (value == null || value.isNull() || transformer == null) {
      return super.validateParameter(
          parameter, value); // absent values and unknown styles: its rules
    }
    Object transformed = transform(transformer, parameter, String.valueOf(value.get()));
    OutputUnit result =
        checks
            .computeIfAbsent(
                parameter,
                p ->
                    new Check(
                        contract.getSchemaRepository().validator(p.getSchema()),
                        StringBounds.of(p.getSchema())))
            .validate(transformed);
    try {
      result.checkValidity();
      return new RequestParameterImpl(transformed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  /**
   * A string schema's length and pattern bounds, as JSON Schema counts them (code points; the
   * pattern found anywhere, as the library's {@code find}), or none when the schema says anything
   * else.
   */
  record StringBounds(int min, int max, java.util.regex.Pattern pattern) {

    /**
     * The keys checked here, and keys that constrain nothing; any other key (an enum, a format)
     * leaves the schema to the library.
     */
    private static final java.util.Set<String> UNDERSTOOD =
        java.util.Set.of(
            "type",
            "minLength",
            "maxLength",
            "pattern",
            "description",
            "title",
            "example",
            "examples",
            "$comment",
            "deprecated");

    static StringBounds of(io.vertx.json.schema.JsonSchema schema) {
      if (!"string".equals(schema.get("type"))) {
        return null;
      }
      for (String key : schema.fieldNames()) {
        // the schema repository's own bookkeeping (its absolute URI) is not a constraint
        if (!UNDERSTOOD.contains(key) && !key.startsWith("__")) {
          return null;
        }
      }
      Object min = schema.get("minLength", 0);
      Object max = schema.get("maxLength", Integer.MAX_VALUE);
      Object pattern = schema.get("pattern");
      if (!(min instanceof Integer from)
          || !(max instanceof Integer to)
          || (pattern != null && !(pattern instanceof String))) {
        return null;
      }
      return new StringBounds(
          from, to, pattern == null ? null : java.util.regex.Pattern.compile((String) pattern));
    }

    boolean passes(Object value) {
      if (!(value instanceof String text)) {
        return false;
      }
      int length = text.codePointCount(0, text.length());
      return length >= min && length <= max && (pattern == null || pattern.matcher(text).find());
    }
  }
}
