package io.greenpledge.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.SchemaValidationException;
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
 * two thread hops for microseconds of work, and in the profile of {@code GET /pledges/{id}/valuation}
 * it was a fifth of the CPU and the source of its latency tail. Requests with a body (whose schema
 * validation can take long) still go to a worker. A parameter's schema validator is built once: built
 * per request it copied the contract's schema map every time.
 */
final class InlineRequestValidator extends RequestValidatorImpl {

  private final OpenAPIContract contract;
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Map.of(Style.SIMPLE,
      new SimpleTransformer(), Style.LABEL, new LabelTransformer(), Style.MATRIX, new MatrixTransformer(),
      Style.FORM, new FormTransformer()));
  /** A parameter's schema validator, built once (building one copies the contract's schema map). */
  private final Map<Parameter, Validator> validators = new ConcurrentHashMap<>();

  InlineRequestValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    this.contract = contract;
  }

  /** As vertx-openapi's, with the parameter's schema validator built once instead of per request. */
  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
    if (value == null || value.isNull()) {
      if (parameter.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(parameter);
      }
      return new RequestParameterImpl(null);
    }
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (transformer == null) {
      throw ValidatorException.createUnsupportedValueFormat(parameter);
    }
    Object transformed = transformer.transform(parameter, String.valueOf(value.get()));
    OutputUnit result = validators.computeIfAbsent(parameter,
        p -> contract.getSchemaRepository().validator(p.getSchema())).validate(transformed);
    try {
      result.checkValidity();
      return new RequestParameterImpl(transformed);
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  @Override
  public Future<ValidatedRequest> validate(ValidatableRequest request, String operationId) {
    Operation operation = contract.operation(operationId);
    if (operation == null || operation.getRequestBody() != null) {
      return super.validate(request, operationId);
    }
    try {
      return Future.succeededFuture(validateParameters(request, operation));
    } catch (ValidatorException e) {
      return Future.failedFuture(e);
    }
  }

  private ValidatedRequest validateParameters(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      switch (param.getIn()) {
        case COOKIE -> cookies.put(param.getName(), validateParameter(param, request.getCookies().get(param.getName())));
        case HEADER -> headers.put(param.getName(), validateParameter(param, request.getHeaders().get(param.getName())));
        case PATH -> path.put(param.getName(), validateParameter(param, request.getPathParameters().get(param.getName())));
        case QUERY -> query.put(param.getName(), validateParameter(param, request.getQuery().get(param.getName())));
      }
    }
    return new ValidatedRequestImpl(cookies, headers, path, query, new RequestParameterImpl(null));
  }

  /**
   * The handler the router builder would install for an operation (see {@code RouterBuilderImpl}),
   * with this validator: the validated request is put on the context, a violation fails it with 400.
   */
  Handler<RoutingContext> handler(RequestExtractor extractor, Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validate(request, operation.getOperationId()))
        .onSuccess(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        })
        .onFailure(e -> ctx.fail(e instanceof ValidatorException
            ? new HttpException(400, e.getMessage(), e) : e));
  }
}
