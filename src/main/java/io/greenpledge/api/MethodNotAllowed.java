package io.greenpledge.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The API router's last route: a path the contract knows, asked with a method it does not list, is
 * 405 with {@code Allow} (RFC 9110), not 404; anything else is 404.
 */
final class MethodNotAllowed {

  private final Map<Pattern, TreeSet<String>> methodsByPath;

  private MethodNotAllowed(Map<Pattern, TreeSet<String>> methodsByPath) {
    this.methodsByPath = methodsByPath;
  }

  static MethodNotAllowed of(List<OpenAPIRoute> routes) {
    Map<String, TreeSet<String>> byTemplate = new LinkedHashMap<>();
    for (OpenAPIRoute route : routes) {
      byTemplate
          .computeIfAbsent(route.getOperation().getOpenAPIPath(), k -> new TreeSet<>())
          .add(route.getOperation().getHttpMethod().name());
    }
    Map<Pattern, TreeSet<String>> byPattern = new LinkedHashMap<>();
    byTemplate.forEach(
        (template, methods) ->
            byPattern.put(
                Pattern.compile("^" + template.replaceAll("\\{[^/}]+}", "[^/]+") + "/?$"),
                methods));
    return new MethodNotAllowed(byPattern);
  }

  void handle(RoutingContext ctx) {
    String path = ctx.request().path(); // as sent: an empty segment (//) names no resource
    String relative = path.startsWith("/api/v1") ? path.substring("/api/v1".length()) : path;
    List<String> allowed = new ArrayList<>();
    methodsByPath.forEach(
        (pattern, methods) -> {
          if (pattern.matcher(relative).matches()) {
            allowed.addAll(methods);
          }
        });
    if (allowed.isEmpty()) {
      Problems.notFound(ctx, "no resource at " + ctx.request().path());
      return;
    }
    ctx.response().putHeader("Allow", String.join(", ", allowed));
    Problems.send(
        ctx,
        405,
        "method-not-allowed",
        "Method not allowed",
        ctx.request().method().name()
            + " is not an operation of "
            + relative
            + "; allowed: "
            + allowed);
  }
}
