package io.greenpledge.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The contract's operations by method and path template ({@code /pledges/{id}/valuation}), found in
 * one walk over a request path's segments.
 *
 * <p>Why: vertx-web tries a router's routes in turn, and for each templated one it cuts the path
 * and runs the template's regular expression before it looks at the method. The latest valuation,
 * the most asked operation, sat behind 44 routes; route matching was 14 % of the gateway's CPU
 * under a REST load (BENCHMARKS.md). Here a request costs one map lookup per segment.
 *
 * <p>Matching, as vertx-web's routes matched: a template parameter takes one non-empty segment; one
 * trailing slash is ignored; a literal segment is preferred to a parameter (the OpenAPI rule), and
 * when the literal path does not list the method the parameter is tried ({@code DELETE
 * /displays/renew} is {@code DELETE /displays/{id}}). A path that matches with other methods only
 * is {@link WrongMethod}, with every method it allows. Built once, then read only: safe to read
 * from any thread.
 */
final class PathIndex<T> {

  /** What a method and a path find. */
  sealed interface Lookup<T> permits Found, WrongMethod, NotFound {}

  /** The operation, with the path's parameters as sent (not decoded), by template name. */
  record Found<T>(T value, String template, Map<String, String> parameters) implements Lookup<T> {}

  /** The path names a resource, but not with this method: the methods it has, sorted. */
  record WrongMethod<T>(List<String> allowed) implements Lookup<T> {}

  /** No template matches the path. */
  record NotFound<T>() implements Lookup<T> {}

  /** An operation; its parameters' names and the positions of their segments. */
  private record Entry<T>(T value, String template, List<String> names, int[] positions) {}

  private static final class Node<T> {
    final Map<String, Node<T>> literals = new HashMap<>();
    Node<T> parameter;
    final Map<String, Entry<T>> byMethod = new TreeMap<>();
  }

  private final Node<T> root = new Node<>();

  /**
   * Adds an operation; a method and template given twice, or a malformed template, is a programming
   * error.
   */
  PathIndex<T> add(String method, String template, T value) {
    Node<T> node = root;
    List<String> names = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<String> segments = segments(template);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
        names.add(segment.substring(1, segment.length() - 1));
        positions.add(i);
        if (node.parameter == null) {
          node.parameter = new Node<>();
        }
        node = node.parameter;
      } else if (segment.isEmpty() || segment.contains("{") || segment.contains("}")) {
        throw new IllegalArgumentException("template " + template + " has a malformed segment");
      } else {
        node = node.literals.computeIfAbsent(segment, s -> new Node<>());
      }
    }
    Entry<T> entry =
        new Entry<>(
            value,
            template,
            List.copyOf(names),
            positions.stream().mapToInt(Integer::intValue).toArray());
    if (node.byMethod.putIfAbsent(method, entry) != null) {
      throw new IllegalArgumentException(method + " " + template + " is added twice");
    }
    return this;
  }

  /** The operation {@code method path} names; {@code path} begins with '/'. */
  Lookup<T> find(String method, String path) {
    List<String> segments = segments(path);
    if (segments.contains("")) {
      return new NotFound<>(); // an empty segment names no resource
    }
    List<Node<T>> ends = new ArrayList<>(2);
    collect(root, segments, 0, ends);
    for (Node<T> end : ends) {
      Entry<T> entry = end.byMethod.get(method);
      if (entry != null) {
        return new Found<>(entry.value(), entry.template(), parameters(entry, segments));
      }
    }
    if (ends.isEmpty()) {
      return new NotFound<>();
    }
    TreeSet<String> allowed = new TreeSet<>();
    ends.forEach(end -> allowed.addAll(end.byMethod.keySet()));
    return new WrongMethod<>(List.copyOf(allowed));
  }

  /** The nodes with operations that the segments from {@code i} reach: literals first. */
  private static <T> void collect(Node<T> node, List<String> segments, int i, List<Node<T>> ends) {
    if (i == segments.size()) {
      if (!node.byMethod.isEmpty()) {
        ends.add(node);
      }
      return;
    }
    Node<T> literal = node.literals.get(segments.get(i));
    if (literal != null) {
      collect(literal, segments, i + 1, ends);
    }
    if (node.parameter != null) {
      collect(node.parameter, segments, i + 1, ends);
    }
  }

  private static <T> Map<String, String> parameters(Entry<T> entry, List<String> segments) {
    if (entry.names().isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new HashMap<>(4);
    for (int i = 0; i < entry.positions().length; i++) {
      values.put(entry.names().get(i), segments.get(entry.positions()[i]));
    }
    return values;
  }

  /** "/a/b/" → [a, b]; "/" → []; "/a//b" → [a, "", b]: one trailing slash is dropped. */
  private static List<String> segments(String path) {
    int end = path.length();
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    List<String> segments = new ArrayList<>(6);
    int start = path.startsWith("/") ? 1 : 0;
    if (start >= end) {
      return segments;
    }
    while (true) {
      int slash = path.indexOf('/', start);
      if (slash < 0 || slash >= end) {
        segments.add(path.substring(start, end));
        return segments;
      }
      segments.add(path.substring(start, slash));
      start = slash + 1;
    }
  }
}
