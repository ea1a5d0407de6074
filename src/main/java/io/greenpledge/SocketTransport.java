package io.greenpledge;

import io.greenpledge.config.Settings;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport every socket runs on (GP_NATIVE_TRANSPORT): the first of the operator's choices
 * that loads here. io_uring comes first because it answered REST a third faster than epoll
 * (BENCHMARKS.md, "io_uring"); a container's seccomp profile often forbids it, so a kernel that
 * refuses it is told in one line and epoll runs.
 */
public final class SocketTransport {

  private static final Logger LOG = LoggerFactory.getLogger(SocketTransport.class);

  private SocketTransport() {}

  /** The transport for the setting, each native one skipped said with Netty's reason. */
  public static Transport choose(Settings.Transport asked) {
    return choose(asked, Transport.IO_URING, Transport.EPOLL, shipped());
  }

  /**
   * @param ioUring null where its classes are not on the class path
   * @param shipped whether the jar carries native transports for this platform
   */
  static Transport choose(
      Settings.Transport asked, Transport ioUring, Transport epoll, boolean shipped) {
    List<Transport> wanted =
        switch (asked) {
          case NATIVE -> Stream.of(ioUring, epoll).filter(Objects::nonNull).toList();
          case EPOLL -> Stream.of(epoll).filter(Objects::nonNull).toList();
          case NIO -> List.of();
        };
    List<String> refused = new ArrayList<>();
    for (Transport candidate : wanted) {
      if (candidate.available()) {
        if (!refused.isEmpty()) {
          LOG.info(
              "GP_NATIVE_TRANSPORT: {} did not load here; sockets run on {}",
              String.join("; ", refused),
              name(candidate));
        }
        return candidate;
      }
      Throwable cause = candidate.unavailabilityCause();
      refused.add(name(candidate) + " (" + (cause == null ? "no reason given" : cause) + ")");
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
    return Transport.NIO;
  }

  /** As the ready line and the operator say it: {@code io_uring}, {@code epoll}, {@code NIO}. */
  public static String name(Transport transport) {
    return transport == Transport.NIO ? "NIO" : transport.name();
  }

  /**
   * The platforms the jar carries Netty's native transports (epoll, io_uring) for: Linux on x86-64
   * and ARM64.
   */
  public static boolean shipped() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("aarch64"));
  }
}
