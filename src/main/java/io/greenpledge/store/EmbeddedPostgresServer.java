package io.greenpledge.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the gateway runs for itself when no {@code GP_PG_URL} is set. The embedded
 * library is built for tests; here it must hold a bank's journal, so this class owns the process:
 *
 * <ul>
 *   <li>durable settings: the library starts the server with {@code -F} (fsync off) and {@code
 *       synchronous_commit=off}; later {@code -c} options override both, so a commit the gateway
 *       acknowledges is on disk;
 *   <li>one owner: the library's own JVM shutdown hook is off, so PostgreSQL stops when the gateway
 *       says so, after the journal is flushed, never while it drains;
 *   <li>orphans: {@code pg_ctl} detaches the postmaster, so a {@code kill -9} of the gateway leaves
 *       it running on the data directory. Before a start, a postmaster named in {@code
 *       postmaster.pid} is stopped if no live gateway holds the directory's lock;
 *   <li>supervision: a postmaster that dies under a running gateway is restarted on the same port
 *       (bounded attempts, one log line per incident); {@link #healthy()} turns false when it
 *       cannot be, which fails liveness so an orchestrator restarts the whole gateway;
 *   <li>reasons: the server's own output goes to {@code postgresql.log} beside the data directory
 *       and its last lines are quoted when a start fails.
 * </ul>
 *
 * <p>Starting and restarting block; they run before Vert.x starts or on the supervisor's own
 * thread.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** The embedded library's lock file inside the data directory, held by the owning JVM. */
  private static final String LOCK_FILE = "epg-lock";

  private static final int RESTART_ATTEMPTS = 5;
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(20);

  private final Path directory;
  private final Path logFile;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean failed = new AtomicBoolean();
  private volatile EmbeddedPostgres postgres;
  private volatile int port;
  private volatile long restarts;

  private EmbeddedPostgresServer(Path directory) {
    this.directory = directory;
    this.logFile = directory.resolveSibling("postgresql.log");
  }

  /**
   * Starts (or restarts, keeping its data) the server in {@code directory}; port 0 = any free one.
   */
  static EmbeddedPostgresServer start(Path directory, int port) {
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory);
    server.prepareDirectory();
    server.stopOrphan();
    server.launch(port);
    server.supervise();
    return server;
  }

  int port() {
    return port;
  }

  /** False once a dead server could not be restarted: liveness should fail. */
  boolean healthy() {
    return !failed.get();
  }

  /** How many times the server was restarted after dying under the gateway. */
  long restarts() {
    return restarts;
  }

  /** The postmaster's process id, as PostgreSQL wrote it in its lock file. */
  Optional<Long> postmasterPid() {
    return readPid(directory.resolve("postmaster.pid"));
  }

  private void prepareDirectory() {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "GP_DATA_DIR: cannot create " + directory + " (" + reason(e) + ")", e);
    }
    Path probe = directory.resolveSibling(".gp-write-probe");
    try {
      Files.writeString(probe, "probe");
      Files.delete(probe);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "GP_DATA_DIR: "
              + directory.getParent()
              + " is not writable ("
              + reason(e)
              + "); the embedded PostgreSQL keeps its data there",
          e);
    }
  }

  /**
   * A postmaster left running by a gateway that was killed: stop it, unless a live gateway owns it.
   */
  private void stopOrphan() {
    Optional<Long> pid = postmasterPid();
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !isPostgres(process.get())) {
      return; // a stale lock file: PostgreSQL itself sees that its pid is gone and starts over it
    }
    ensureNoLiveOwner();
    LOG.warn(
        "found PostgreSQL (pid {}) still running on {}, left by a gateway that did not stop; stopping it",
        pid.get(),
        directory);
    signal(pid.get(), "INT"); // fast shutdown: roll back open transactions, checkpoint, exit
    if (!waitForExit(process.get(), ORPHAN_STOP_WAIT)) {
      LOG.warn(
          "PostgreSQL (pid {}) did not stop in {} s; killing it (crash recovery will replay its WAL)",
          pid.get(),
          ORPHAN_STOP_WAIT.toSeconds());
      process.get().destroyForcibly();
      waitForExit(process.get(), ORPHAN_STOP_WAIT);
    }
  }

  private void ensureNoLiveOwner() {
    Path lockFile = directory.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return;
    }
    try (RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
        FileChannel channel = file.getChannel()) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException(
            "GP_DATA_DIR: "
                + directory.getParent()
                + " is in use by another running gateway; give each gateway its own data directory");
      }
      lock.release();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw new IllegalStateException(
          "GP_DATA_DIR: " + directory.getParent() + " is in use by another gateway in this process",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "GP_DATA_DIR: cannot check " + lockFile + " (" + reason(e) + ")", e);
    }
  }

  private void launch(int requestedPort) {
    long started = System.nanoTime();
    rotateLog();
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "100")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .setPort(requestedPort)
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot start embedded PostgreSQL in " + directory + ": " + reason(e) + lastLogLines(),
          e);
    }
    port = postgres.getPort();
    LOG.info(
        "embedded PostgreSQL on port {} with data in {} (started in {} ms, fsync on, synchronous commit)",
        port,
        directory,
        (System.nanoTime() - started) / 1_000_000);
  }

  private void supervise() {
    Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of);
    if (postmaster.isEmpty()) {
      LOG.warn("embedded PostgreSQL started but wrote no pid; it will not be supervised");
      return;
    }
    postmaster
        .get()
        .onExit()
        .thenRunAsync(
            this::onPostmasterExit,
            runnable -> new Thread(runnable, "greenpledge-pg-supervisor").start());
  }

  /** One incident: one warning, bounded restarts with backoff, one line for the outcome. */
  private void onPostmasterExit() {
    if (closing.get()) {
      return;
    }
    LOG.warn("embedded PostgreSQL (port {}) exited under the running gateway; restarting it", port);
    long incident = System.nanoTime();
    String lastError = "";
    for (int attempt = 1; attempt <= RESTART_ATTEMPTS && !closing.get(); attempt++) {
      if (!Files.exists(directory.resolve("PG_VERSION"))) {
        // The data directory is gone: a start would initialise an empty database under a gateway
        // that believes its journal is there. Fail liveness instead.
        lastError = "the data directory " + directory + " no longer holds a database";
        break;
      }
      try {
        closeQuietly();
        launch(port);
        restarts++;
        LOG.info(
            "embedded PostgreSQL restarted after {} ms (attempt {})",
            (System.nanoTime() - incident) / 1_000_000,
            attempt);
        supervise();
        return;
      } catch (RuntimeException e) {
        lastError = e.getMessage();
        sleepQuietly(
            Duration.ofMillis(250L << attempt)); // the dead server's backends take a moment to exit
      }
    }
    if (!closing.get()) {
      // The reason is written before liveness fails, so whoever sees the failure finds its line.
      LOG.error(
          "embedded PostgreSQL could not be restarted after {} attempts; liveness now fails: {}",
          RESTART_ATTEMPTS,
          lastError);
      failed.set(true);
    }
  }

  /** Stops PostgreSQL (fast shutdown: open transactions roll back, a checkpoint is written). */
  @Override
  public void close() {
    if (closing.getAndSet(true)) {
      return;
    }
    closeQuietly();
  }

  private void closeQuietly() {
    EmbeddedPostgres current = postgres;
    if (current == null) {
      return;
    }
    try {
      current.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  /** Keeps one previous log: the server's output is small, but a gateway may run for years. */
  private void rotateLog() {
    try {
      if (Files.exists(logFile) && Files.size(logFile) > 10L << 20) {
        Files.move(
            logFile,
            logFile.resolveSibling("postgresql.log.1"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot rotate {}: {}", logFile, e.getMessage());
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
        .orElse(
            true); // command unknown (another user): treat it as the server, never start beside it
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration wait) {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis()); // the supervisor's own thread, never an event loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String lastLogLines() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return tail.isEmpty() ? "" : "; PostgreSQL said: " + String.join(" | ", tail);
    } catch (IOException e) {
      return "";
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root instanceof java.nio.file.AccessDeniedException
        ? "permission denied: " + message
        : message;
  }
}
