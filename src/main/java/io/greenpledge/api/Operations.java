package io.greenpledge.api;

import io.vertx.core.Handler;
import io.vertx.core.internal.net.RFC3986;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.util.Map;

/**
 * The API's operations behind one route of its router. The request's method and path find the
 * operation in a {@link PathIndex} (one lookup per path segment, where vertx-web tried each
 * operation's route in turn); then the operation's three steps run as that route's three handlers,
 * each passing to the next with {@code ctx.next()}: its roles and the caller's rate, its contract
 * validation, its handler.
 *
 * <p>What vertx-web's routes did and this keeps: the path matched is the normalized one, below the
 * router's mount point; path parameters are decoded as vertx-web decodes them; the metrics' route
 * label is the operation's path in vertx-web's form ({@code /pledges/:id/valuation}). A path the
 * contract knows, asked with a method it does not list, is 405 with {@code Allow} (RFC 9110);
 * anything else is 404.
 */
final class Operations {

  /** The steps that answer one operation of the contract, and its route label for metrics. */
  record Steps(
      String route,
      Handler<RoutingContext> roles,
      Handler<RoutingContext> validation,
      Handler<RoutingContext> handler) {}

  private static final String STEPS = Operations.class.getName();

  private final PathIndex<Steps> index = new PathIndex<>();

  /** Adds an operation with its three steps. */
  Operations add(
      Operation operation,
      Handler<RoutingContext> roles,
      Handler<RoutingContext> validation,
      Handler<RoutingContext> handler) {
    String template = operation.getOpenAPIPath();
    String route = template.replaceAll("\\{([^/}]+)}", ":$1");
    index.add(
        operation.getHttpMethod().name(), template, new Steps(route, roles, validation, handler));
    return this;
  }

  /** Adds the route that answers every operation (after the router's root handlers). */
  void mountOn(Router router) {
    router
        .route()
        .handler(this::find)
        .handler(ctx -> steps(ctx).validation().handle(ctx))
        .handler(ctx -> steps(ctx).handler().handle(ctx))
        .failureHandler(Problems::handleFailure);
  }

  private void find(RoutingContext ctx) {
    PathIndex.Lookup<Steps> lookup = index.find(ctx.request().method().name(), relativePath(ctx));
    if (lookup instanceof PathIndex.Found<Steps> found) {
      Map<String, String> parameters = ctx.pathParams();
      try {
        found
            .parameters()
            .forEach(
                (name, value) -> parameters.put(name, RFC3986.decodeURIComponent(value, false)));
      } catch (IllegalArgumentException e) {
        Problems.send(
            ctx, 400, "validation", "Request is not valid", "the path is not a decodable URI");
        return;
      }
      Steps steps = found.value();
      ctx.request().routed(steps.route());
      ctx.put(STEPS, steps);
      steps.roles().handle(ctx);
    } else if (lookup instanceof PathIndex.WrongMethod<Steps> wrong) {
      ctx.response().putHeader("Allow", String.join(", ", wrong.allowed()));
      Problems.send(
          ctx,
          405,
          "method-not-allowed",
          "Method not allowed",
          ctx.request().method().name()
              + " is not an operation of "
              + relativePath(ctx)
              + "; allowed: "
              + wrong.allowed());
    } else {
      Problems.notFound(ctx, "no resource at " + ctx.request().path());
    }
  }

  private static Steps steps(RoutingContext ctx) {
    return ctx.get(STEPS);
  }

  /** The normalized path below the mount point ("/api/v1/pledges" → "/pledges"). */
  private static String relativePath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mount = ctx.mountPoint();
    if (mount == null) {
      return path;
    }
    int strip = mount.endsWith("/") ? mount.length() - 1 : mount.length();
    return path.length() >= strip ? path.substring(strip) : "/";
  }
}
