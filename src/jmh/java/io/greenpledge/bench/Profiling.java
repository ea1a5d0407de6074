package io.greenpledge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * async-profiler for the load tools' {@code --profile FILE}: CPU samples (perf events, Java and
 * native frames, kernel included) of a gateway JVM, written when it exits. The file's extension
 * picks the format: {@code .html} a flame graph, {@code .collapsed} one line per stack, {@code
 * .jfr} JFR.
 */
final class Profiling {

  private static final String LIBRARY = "linux-x64/libasyncProfiler.so";

  private Profiling() {}

  /**
   * The {@code -agentpath} option that profiles a JVM from its start to its exit into {@code file}.
   */
  static String agent(String file) {
    return "-agentpath:"
        + library()
        + "=start,event=cpu,interval=1ms,file="
        + Path.of(file).toAbsolutePath();
  }

  /** The agent's native library, copied out of async-profiler's jar on the class path. */
  private static Path library() {
    try (InputStream in = Profiling.class.getClassLoader().getResourceAsStream(LIBRARY)) {
      if (in == null) {
        throw new IllegalStateException(LIBRARY + " is not on the class path: run with -Pbench");
      }
      Path copy = Files.createTempFile("async-profiler", ".so");
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().deleteOnExit();
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
