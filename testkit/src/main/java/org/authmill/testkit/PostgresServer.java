package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian package {@code postgresql}) on a free port of 127.0.0.1, with
 * its own data directory in a temporary directory, started by a test and stopped when closed.
 *
 * <p>{@code initdb} and {@code pg_ctl} refuse to run as root, so under root they run as the user
 * {@code postgres} (through {@code runuser}); otherwise as the current user. Authentication is
 * {@code trust} on loopback for the superuser {@link #USER}. The server can be {@link #stop()
 * stopped} and {@link #start() started} again on the same port, for fault tests.
 */
public final class PostgresServer implements AutoCloseable {
  /** The superuser that {@code initdb} creates. */
  public static final String USER = "authmill";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path directory;
  private final Path data;
  private final int port;
  private boolean running;

  private PostgresServer(Path bin, Path directory, int port) {
    this.bin = bin;
    this.directory = directory;
    this.data = directory.resolve("data");
    this.port = port;
  }

  /**
   * Creates a cluster and starts it. Skips (or, in CI, fails) the calling test when PostgreSQL is
   * not installed, or when running as root and there is no {@code postgres} user to run it as.
   */
  public static PostgresServer start() {
    Path bin = binDirectory();
    if (Peers.isRoot()
        && !Files.isExecutable(Path.of("/usr/sbin/runuser"))
        && !Files.isExecutable(Path.of("/sbin/runuser"))) {
      return Peers.missing("runuser (Debian package util-linux) to run PostgreSQL as postgres");
    }
    try {
      Path dir = Files.createTempDirectory("authmill-pg");
      PostgresServer server = new PostgresServer(bin, dir, FreePort.tcpAndUdp());
      if (Peers.isRoot()) {
        server.run(List.of("chown", "-R", "postgres", dir.toString()), false);
      }
      server.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              server.data.toString(),
              "-U",
              USER,
              "-A",
              "trust",
              "-E",
              "UTF8",
              "--no-sync",
              "--no-instructions"),
          true);
      server.startServer();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port the server listens on at 127.0.0.1. */
  public int port() {
    return port;
  }

  /** A JDBC URL for a database of this server, as the superuser. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** The JDBC URL of the {@code postgres} database that {@code initdb} created. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** Creates a fresh, empty database and returns its JDBC URL. */
  public String createDatabase() {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    run(
        List.of(
            bin.resolve("createdb").toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            USER,
            name),
        true);
    return jdbcUrl(name);
  }

  /** Starts the server again after {@link #stop()}, on the same port and data. */
  public synchronized void startAgain() {
    if (!running) {
      startServer();
    }
  }

  /** Stops the server (fast shutdown); connections to it fail until {@link #startAgain()}. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    run(
        List.of(
            bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"),
        true);
    running = false;
  }

  /** True while the server runs. */
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      // still remove the directory
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private synchronized void startServer() {
    String options =
        "-p "
            + port
            + " -k "
            + directory
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB";
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            directory.resolve("postgres.log").toString(),
            "-o",
            options,
            "-t",
            Long.toString(START_TIMEOUT.toSeconds()),
            "-w",
            "start"),
        true);
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!FreePort.isListening(port)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("postgres did not listen on port " + port + ": " + log());
      }
      sleep(50);
    }
    running = true;
  }

  private String run(List<String> command, boolean asPostgres) {
    List<String> full = new ArrayList<>();
    if (asPostgres && Peers.isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    try {
      Path out = Files.createTempFile(directory, "cmd", ".out");
      Process p =
          new ProcessBuilder(full)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", full));
      }
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", full) + " exited with " + p.exitValue() + ": " + text + log());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
    }
  }

  private String log() {
    try {
      return Files.readString(directory.resolve("postgres.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** Debian's newest {@code /usr/lib/postgresql/N/bin}, or skips or fails the calling test. */
  private static Path binDirectory() {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        Path best =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                .max(Comparator.comparingInt(PostgresServer::versionNumber))
                .orElse(null);
        if (best != null) {
          return best.resolve("bin");
        }
      } catch (IOException e) {
        // reported below as missing
      }
    }
    return Peers.missing("initdb and pg_ctl (Debian package postgresql)");
  }

  private static int versionNumber(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
