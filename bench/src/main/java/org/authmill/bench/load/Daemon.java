package org.authmill.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.FreePort;

/**
 * A milter running as a process of its own, as an operator runs it: {@code authmill serve} in its
 * own JVM (the distribution jar, with the JVM options of the packaged systemd unit), {@code
 * opendkim -f} or {@code rspamd -f} (its proxy worker in milter mode). Output goes to a log file;
 * {@link #stop()} sends SIGTERM and waits.
 */
public final class Daemon implements AutoCloseable {
  /** The JVM options of packaging/authmill.service. */
  public static final List<String> PACKAGED_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-Xms64m", "-Xmx512m");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private Daemon(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code java PACKAGED_JVM_OPTIONS -jar authmill.jar serve} on a free loopback port,
   * asking the NSD on {@code nsdPort} and writing the bench's authserv-id, with {@code
   * moreArguments} after those, and waits for its "milter listening" line.
   */
  public static Daemon authmill(Path jar, int nsdPort, Path log, String... moreArguments)
      throws IOException {
    int port = FreePort.tcpAndUdp();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(PACKAGED_JVM_OPTIONS);
    // Extra options for a profile (e.g. -XX:StartFlightRecording=...), as the launcher takes them.
    String extra = System.getenv("AUTHMILL_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-jar");
    command.add(jar.toString());
    command.add("serve");
    command.addAll(
        List.of(
            "--listen",
            "inet:127.0.0.1:" + port,
            "--nameserver",
            "127.0.0.1:" + nsdPort,
            "--authserv-id",
            BenchDomain.AUTHSERV_ID));
    command.addAll(List.of(moreArguments));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Daemon d = new Daemon("authmill", p, log, port);
    d.awaitLogLine("milter listening on");
    return d;
  }

  /** Starts {@code opendkim -f -x CONFIG} and waits until its socket listens on {@code port}. */
  public static Daemon opendkim(Path config, int port, Path log) throws IOException {
    Process p =
        new ProcessBuilder("opendkim", "-f", "-x", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Daemon d = new Daemon("opendkim", p, log, port);
    d.awaitListening();
    return d;
  }

  /**
   * Starts rspamd in milter mode on a free loopback port with a configuration of its own in {@code
   * work}: one proxy worker per core scanning itself ({@code self_scan}, no separate normal
   * worker), only the SPF, DKIM and DMARC modules and {@code milter_headers} for the
   * Authentication-Results field, DNS from the NSD on {@code nsdPort}; waits until it listens.
   * rspamd compiles its TLD list at start (a minute on a loaded machine); the compiled list is kept
   * in {@code hsCache} for the next start. {@code signing}, when not null, is a {@code
   * dkim_signing} section to add.
   */
  public static Daemon rspamd(Path work, int nsdPort, Path hsCache, Path log, String signing)
      throws IOException {
    int port = FreePort.tcpAndUdp();
    Path dir = Files.createDirectories(work.resolve("rspamd"));
    Files.createDirectories(hsCache);
    Path conf = dir.resolve("rspamd.conf");
    Files.writeString(
        conf, rspamdConfig(port, nsdPort, dir, hsCache, signing), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.addAll(List.of("rspamd", "-f", "-c", conf.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("-i"); // workers as root: only on a private loopback instance like this one
    }
    for (String var : List.of("LOCAL_CONFDIR", "DBDIR", "RUNDIR", "LOGDIR")) {
      command.add("--var=" + var + "=" + dir);
    }
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Daemon d = new Daemon("rspamd", p, log, port);
    d.awaitListening(Duration.ofSeconds(300));
    return d;
  }

  /** The rspamd configuration of {@link #rspamd}. */
  static String rspamdConfig(int port, int nsdPort, Path dir, Path hsCache, String signing) {
    int workers = Runtime.getRuntime().availableProcessors();
    return String.join(
        "\n",
        "options {",
        // rspamd's C modules load only when listed here: DKIM verification is one.
        "  filters = \"dkim\";",
        "  pidfile = \"" + dir.resolve("rspamd.pid") + "\";",
        "  hs_cache_dir = \"" + hsCache + "/\";",
        "  dns { nameserver = [\"127.0.0.1:" + nsdPort + "\"]; timeout = 2s; retransmits = 2; }",
        // 127.0.0.1 is where the test mail comes from: not a local address that skips SPF.
        "  local_addrs = [];",
        "}",
        "logging { type = \"file\"; filename = \""
            + dir.resolve("rspamd.log")
            + "\";"
            + " level = \"warning\"; }",
        "worker \"rspamd_proxy\" {",
        "  bind_socket = \"127.0.0.1:" + port + "\";",
        "  milter = yes;",
        "  timeout = 120s;",
        "  count = " + workers + ";",
        "  upstream \"local\" { default = yes; self_scan = yes; }",
        "}",
        "lua = \"$RULESDIR/rspamd.lua\"",
        "modules { path = \"${PLUGINSDIR}\"; }",
        // A module without a section of its own is not loaded ("disabling unconfigured module").
        // The bench's mail comes from 127.0.0.1, which rspamd skips unless told otherwise.
        "spf { check_local = true; check_authed = true; }",
        "dkim { check_local = true; check_authed = true; }",
        "dmarc { check_local = true; check_authed = true; }",
        "milter_headers { use = [\"authentication-results\"]; skip_local = false;"
            + " skip_authenticated = false; }",
        signing == null ? "" : signing,
        "");
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** The milter port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The resident set in MiB, of the process and its children (rspamd's workers). */
  public double rssMib() throws IOException {
    return ProcStats.treeRssMib(pid());
  }

  /** CPU time used so far by the process and its living children, in seconds. */
  public double cpuSeconds() {
    try {
      return ProcStats.treeCpuSeconds(pid());
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** The log so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The last 4,000 characters of the log, for an error message. */
  public String logTail() {
    String all = log();
    return all.length() <= 4000 ? all : "..." + all.substring(all.length() - 4000);
  }

  /** Waits (up to the start timeout) until the log holds {@code text}. */
  void awaitLogLine(String text) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ": " + log());
      }
      if (log().contains(text)) {
        return;
      }
      sleep(50);
    }
    close();
    throw new IllegalStateException(name + " did not start within " + START_TIMEOUT + ": " + log());
  }

  private void awaitListening() {
    awaitListening(START_TIMEOUT);
  }

  private void awaitListening(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ": " + log());
      }
      if (FreePort.isListening(port)) {
        return;
      }
      sleep(50);
    }
    close();
    throw new IllegalStateException(name + " did not listen within " + timeout + ": " + log());
  }

  /**
   * How many TCP connections to local port {@code port} are established, from {@code /proc/net/tcp}
   * and {@code /proc/net/tcp6} (a JVM's sockets are IPv6 ones, also for IPv4 peers).
   */
  static int established(int port) throws IOException {
    String local = String.format(":%04X", port);
    int n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.strip().split("\\s+");
        if (f.length > 3 && f[1].endsWith(local) && f[3].equals("01")) {
          n++;
        }
      }
    }
    return n;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + ", port " + port + "]";
  }
}
