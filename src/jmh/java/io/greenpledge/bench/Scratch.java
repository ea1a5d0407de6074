package io.greenpledge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The load tools' temporary directories (data directories with their embedded PostgreSQL, browser
 * profiles), removed when the tool's JVM exits: one ingest run leaves about half a gigabyte, and a
 * sitting of side-by-side runs filled this machine's disk.
 */
final class Scratch {

  private static final List<Path> DIRECTORIES = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Scratch::removeAll, "scratch-cleanup"));
  }

  private Scratch() {}

  static synchronized Path directory(String prefix) {
    try {
      Path directory = Files.createTempDirectory(prefix);
      DIRECTORIES.add(directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized void removeAll() {
    DIRECTORIES.forEach(Scratch::remove);
  }

  private static void remove(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove " + directory + ": " + e);
    }
  }
}
