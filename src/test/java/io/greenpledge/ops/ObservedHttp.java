package io.greenpledge.ops;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/** A request and a response as Vert.x shows them to its HTTP server metrics. */
final class ObservedHttp {

  static final SocketAddress PEER = SocketAddress.inetSocketAddress(40000, "127.0.0.1");

  private ObservedHttp() {}

  static HttpRequest request(HttpMethod method) {
    return new HttpRequest() {
      @Override
      public int id() {
        return 1;
      }

      @Override
      public String uri() {
        return "/api/v1/portfolio";
      }

      @Override
      public String absoluteURI() {
        return "http://127.0.0.1:8080" + uri();
      }

      @Override
      public HttpMethod method() {
        return method;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }

      @Override
      public SocketAddress remoteAddress() {
        return PEER;
      }
    };
  }

  static HttpResponse response(int status) {
    return new HttpResponse() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap();
      }
    };
  }
}
