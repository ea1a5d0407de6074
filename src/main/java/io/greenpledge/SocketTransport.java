package io.greenpledge;

import io.greenpledge.config.Settings;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport every socket runs on (GP_NATIVE_TRANSPORT): the first of the operator's choices
 * that loads here. io_uring comes first because it wrote the push's frames faster than epoll
 * (BENCHMARKS.md, "io_uring"); a container's seccomp profile often forbids it, so a kernel that
 * refuses it is told in one line and epoll runs.
 *
 * @param transport what Vert.x is built with
 * @param name as the ready line and the operator say it: {@code io_uring}, {@code epoll}, {@code
 *     NIO}
 */
public record SocketTransport(Transport transport, String name) {

  private static final Logger LOG = LoggerFactory.getLogger(SocketTransport.class);

  static final SocketTransport NIO = new SocketTransport(Transport.NIO, "NIO");

  /** The transport for the setting, each native one skipped said with Netty's reason. */
  public static SocketTransport choose(Settings.Transport asked) {
    return choose(asked, Transport.IO_URING, Transport.EPOLL, Gateway.nativeTransportShipped());
  }

  /**
   * @param ioUring null where its classes are not on the class path
   * @param shipped whether the jar carries native transports for this platform
   */
  static SocketTransport choose(
      Settings.Transport asked, Transport ioUring, Transport epoll, boolean shipped) {
    List<SocketTransport> wanted =
        switch (asked) {
          case NATIVE -> candidates(ioUring, "io_uring", epoll, "epoll");
          case EPOLL -> candidates(epoll, "epoll");
          case NIO -> List.of();
        };
    List<String> refused = new ArrayList<>();
    for (SocketTransport candidate : wanted) {
      if (candidate.transport().available()) {
        if (!refused.isEmpty()) {
          LOG.info(
              "GP_NATIVE_TRANSPORT: {} did not load here; sockets run on {}",
              String.join("; ", refused),
              candidate.name());
        }
        return candidate;
      }
      refused.add(candidate.name() + " (" + reason(candidate.transport()) + ")");
    }
    if (asked != Settings.Transport.NIO) {
      if (shipped) {
        LOG.warn(
            "GP_NATIVE_TRANSPORT: no native transport loaded ({}); sockets run on Java NIO",
            String.join("; ", refused));
      } else {
        LOG.info("no native transport ships for this platform: sockets run on Java NIO");
      }
    }
    return NIO;
  }

  /** In order; a transport whose classes are not on the class path is not a candidate. */
  private static List<SocketTransport> candidates(Object... transportsAndNames) {
    List<SocketTransport> list = new ArrayList<>();
    for (int i = 0; i < transportsAndNames.length; i += 2) {
      if (transportsAndNames[i] instanceof Transport transport) {
        list.add(new SocketTransport(transport, (String) transportsAndNames[i + 1]));
      }
    }
    return list;
  }

  private static String reason(Transport transport) {
    Throwable cause = transport.unavailabilityCause();
    return cause == null ? "no reason given" : cause.toString();
  }
}
