package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private, real Postfix instance (Debian package {@code postfix}) for a test: its own {@code
 * config_directory}, {@code queue_directory} and {@code data_directory} under a temporary
 * directory, smtpd on a free port of 127.0.0.1, a submission port whose milter macro {@code
 * {daemon_name}} is {@code ORIGINATING}, and everything relayed to an {@code smtp-sink} that writes
 * one file per message. Several can run side by side, and none touches {@code /etc/postfix} or a
 * Postfix the machine runs. Needs root (Postfix's master drops privileges itself).
 *
 * <pre>
 * try (PostfixServer postfix = PostfixServer.builder().milter("inet:127.0.0.1:" + port).start()) {
 *   // swaks --server 127.0.0.1:{postfix.smtpPort()} ...
 *   List&lt;Path&gt; delivered = postfix.awaitDelivered(1, Duration.ofSeconds(30));
 * }
 * </pre>
 */
public final class PostfixServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final Path postfix;
  private final int smtpPort;
  private final int submissionPort;
  private final int sinkPort;
  private Process sink;
  private boolean running;

  private PostfixServer(
      Path directory, Path postfix, int smtpPort, int submissionPort, int sinkPort) {
    this.directory = directory;
    this.postfix = postfix;
    this.smtpPort = smtpPort;
    this.submissionPort = submissionPort;
    this.sinkPort = sinkPort;
  }

  /** A builder with the defaults of MILTER.md: milter protocol 6, default action tempfail. */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of the instance's main.cf beyond the fixed ones. */
  public static final class Builder {
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {
      settings.put("milter_protocol", "6");
      settings.put("milter_default_action", "tempfail");
    }

    /**
     * {@code smtpd_milters} (and {@code non_smtpd_milters}), such as {@code inet:127.0.0.1:8891}.
     */
    public Builder milter(String milter) {
      settings.put("smtpd_milters", milter);
      settings.put("non_smtpd_milters", "$smtpd_milters");
      return this;
    }

    /** Any other main.cf parameter. */
    public Builder set(String name, String value) {
      settings.put(name, value);
      return this;
    }

    /**
     * Starts smtp-sink and Postfix. Skips (or, in CI, fails) the calling test when Postfix is not
     * installed or the test does not run as root.
     */
    public PostfixServer start() {
      Path postfix = Peers.command("postfix", "postfix");
      Path smtpSink = Peers.command("smtp-sink", "postfix");
      if (!Peers.isRoot()) {
        return Peers.missing("root privileges to start a Postfix instance");
      }
      try {
        Path dir = Files.createTempDirectory("authmill-postfix");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path sinkDir = Files.createDirectories(dir.resolve("sink"));
        Files.setPosixFilePermissions(sinkDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        int smtp = FreePort.tcpAndUdp();
        int submission = FreePort.tcpAndUdp();
        int sinkPort = FreePort.tcpAndUdp();
        String name = dir.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
        StringBuilder main = new StringBuilder();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("compatibility_level", "3.6");
        all.put("queue_directory", queue.toString());
        all.put("data_directory", data.toString());
        all.put("myhostname", "mx.test.local");
        all.put("mydomain", "test.local");
        all.put("myorigin", "$myhostname");
        all.put("inet_interfaces", "127.0.0.1");
        all.put("inet_protocols", "ipv4");
        all.put("mynetworks", "127.0.0.0/8");
        all.put("mydestination", "");
        all.put("relayhost", "[127.0.0.1]:" + sinkPort);
        all.put("smtp_dns_support_level", "disabled");
        all.put("smtpd_peername_lookup", "no");
        all.put("in_flow_delay", "0");
        all.put("alias_maps", "");
        all.put("alias_database", "");
        all.put("local_recipient_maps", "");
        all.put("maillog_file_prefixes", dir.toString());
        all.put("maillog_file", dir.resolve("postfix.log").toString());
        all.put("syslog_name", "postfix-" + name);
        all.put("smtp_connect_timeout", "5s");
        all.put("queue_run_delay", "1s");
        all.put("minimal_backoff_time", "1s");
        all.put("maximal_backoff_time", "2s");
        all.putAll(settings);
        all.forEach((k, v) -> main.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(conf.resolve("main.cf"), main.toString());
        Files.writeString(conf.resolve("master.cf"), masterCf(smtp, submission));
        PostfixServer server = new PostfixServer(dir, postfix, smtp, submission, sinkPort);
        server.sink =
            new ProcessBuilder(
                    smtpSink.toString(),
                    "-u",
                    "nobody",
                    "-d",
                    sinkDir.resolve("msg.").toString(),
                    "127.0.0.1:" + sinkPort,
                    "100")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("smtp-sink.log").toFile())
                .start();
        try {
          server.awaitListening(sinkPort, "smtp-sink");
          server.postfix("start");
          server.running = true;
          server.awaitListening(smtp, "postfix smtpd");
          server.awaitListening(submission, "postfix submission smtpd");
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
        return server;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String masterCf(int smtp, int submission) {
    String[][] services = {
      {"pickup", "unix", "n", "-", "n", "60", "1", "pickup"},
      {"cleanup", "unix", "n", "-", "n", "-", "0", "cleanup"},
      {"qmgr", "unix", "n", "-", "n", "300", "1", "qmgr"},
      {"rewrite", "unix", "-", "-", "n", "-", "-", "trivial-rewrite"},
      {"bounce", "unix", "-", "-", "n", "-", "0", "bounce"},
      {"defer", "unix", "-", "-", "n", "-", "0", "bounce"},
      {"trace", "unix", "-", "-", "n", "-", "0", "bounce"},
      {"verify", "unix", "-", "-", "n", "-", "1", "verify"},
      {"flush", "unix", "n", "-", "n", "1000?", "0", "flush"},
      {"proxymap", "unix", "-", "-", "n", "-", "-", "proxymap"},
      {"proxywrite", "unix", "-", "-", "n", "-", "1", "proxymap"},
      {"smtp", "unix", "-", "-", "n", "-", "-", "smtp"},
      {"relay", "unix", "-", "-", "n", "-", "-", "smtp"},
      {"showq", "unix", "n", "-", "n", "-", "-", "showq"},
      {"error", "unix", "-", "-", "n", "-", "-", "error"},
      {"retry", "unix", "-", "-", "n", "-", "-", "error"},
      {"discard", "unix", "-", "-", "n", "-", "-", "discard"},
      {"local", "unix", "-", "n", "n", "-", "-", "local"},
      {"anvil", "unix", "-", "-", "n", "-", "1", "anvil"},
      {"scache", "unix", "-", "-", "n", "-", "1", "scache"},
      {"postlog", "unix-dgram", "n", "-", "n", "-", "1", "postlogd"},
    };
    StringBuilder sb = new StringBuilder();
    sb.append("127.0.0.1:").append(smtp).append(" inet n - n - - smtpd\n");
    sb.append("127.0.0.1:").append(submission).append(" inet n - n - - smtpd\n");
    sb.append("  -o milter_macro_daemon_name=ORIGINATING\n");
    for (String[] s : services) {
      sb.append(String.join(" ", s)).append('\n');
    }
    return sb.toString();
  }

  private void postfix(String command) {
    try {
      Process p =
          new ProcessBuilder(
                  postfix.toString(), "-c", directory.resolve("conf").toString(), command)
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("postfix-" + command + ".out").toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("postfix " + command + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "postfix " + command + " failed (" + p.exitValue() + "): " + log());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until something listens on the port, read from {@code /proc/net/tcp} rather than by
   * connecting: a probe connection to smtpd would open a milter session of its own.
   */
  private void awaitListening(int port, String what) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (FreePort.isListening(port)) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException(what + " did not listen on port " + port + ": " + log());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The smtpd port (incoming mail; {@code {daemon_name}} is {@code smtpd}). */
  public int smtpPort() {
    return smtpPort;
  }

  /** The submission port, whose {@code {daemon_name}} is {@code ORIGINATING}. */
  public int submissionPort() {
    return submissionPort;
  }

  /** Where smtp-sink writes one file per received message. */
  public Path sinkDirectory() {
    return directory.resolve("sink");
  }

  /** The instance's base directory (conf/, queue/, data/, sink/, postfix.log). */
  public Path directory() {
    return directory;
  }

  /** The instance's mail log so far. */
  public String log() {
    try {
      Path log = directory.resolve("postfix.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log yet)";
    } catch (IOException e) {
      return "(cannot read log: " + e.getMessage() + ")";
    }
  }

  /**
   * Applies main.cf changes: {@code postconf -e} style edits (a parameter set before is replaced,
   * not repeated: every daemon would log "overriding earlier entry" for a repeated one, and this
   * instance's postlogd, logging those warnings to its own socket, deadlocked after a few reloads),
   * then {@code postfix reload}.
   */
  public void reload(Map<String, String> changes) {
    try {
      Path mainCf = directory.resolve("conf/main.cf");
      StringBuilder main = new StringBuilder();
      for (String line : Files.readAllLines(mainCf)) {
        int eq = line.indexOf('=');
        if (eq < 0 || !changes.containsKey(line.substring(0, eq).strip())) {
          main.append(line).append('\n');
        }
      }
      changes.forEach((k, v) -> main.append(k).append(" = ").append(v).append('\n'));
      Files.writeString(mainCf, main.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    postfix("reload");
  }

  /** Messages waiting in the queue (incoming, active, deferred, maildrop), not held ones. */
  public int queued() {
    int n = 0;
    for (String q : List.of("maildrop", "incoming", "active", "deferred")) {
      n += countFiles(directory.resolve("queue").resolve(q));
    }
    return n;
  }

  /** Messages in the hold queue (milter quarantine). */
  public int held() {
    return countFiles(directory.resolve("queue/hold"));
  }

  private static int countFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    // A file that Postfix moves while the walk runs fails it (NoSuchFileException, wrapped in an
    // UncheckedIOException by the stream): walk again, a bounded number of times.
    for (int attempt = 0; attempt < 10; attempt++) {
      try (Stream<Path> files = Files.walk(dir)) {
        return (int) files.filter(Files::isRegularFile).count();
      } catch (IOException | UncheckedIOException e) {
        // moved while walking: try again
      }
    }
    return 0; // still moving: count again on the next poll
  }

  /** The files smtp-sink wrote so far, oldest first. */
  public List<Path> delivered() {
    try (Stream<Path> files = Files.list(sinkDirectory())) {
      return files
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(PostfixServer::modified).thenComparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  /**
   * Waits (at most {@code timeout}) until smtp-sink holds {@code count} messages and the queue is
   * empty, so every file is complete; returns them oldest first.
   *
   * @throws AssertionError after the timeout, with the counts and the mail log
   */
  public List<Path> awaitDelivered(int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<Path> files = delivered();
      if (files.size() >= count && queued() == 0) {
        return files;
      }
      sleep(50);
    }
    throw new AssertionError(
        "expected "
            + count
            + " delivered message(s) within "
            + timeout
            + ", have "
            + delivered().size()
            + " with "
            + queued()
            + " still queued; mail log:\n"
            + log());
  }

  /** Waits (at most {@code timeout}) until nothing is queued. */
  public void awaitQueueEmpty(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (queued() > 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            queued() + " message(s) still queued after " + timeout + ":\n" + log());
      }
      sleep(50);
    }
  }

  /** Stops Postfix and smtp-sink (bounded waits). Idempotent. */
  public synchronized void stop() {
    if (running) {
      running = false;
      long masterPid = masterPid();
      try {
        postfix("stop");
      } catch (RuntimeException e) {
        // fall through to killing the master below
      }
      if (masterPid > 0) {
        ProcessHandle.of(masterPid)
            .ifPresent(
                h -> {
                  Instant deadline = Instant.now().plusSeconds(15);
                  while (h.isAlive() && Instant.now().isBefore(deadline)) {
                    sleep(50);
                  }
                  if (h.isAlive()) {
                    h.destroyForcibly();
                  }
                });
      }
    }
    if (sink != null) {
      sink.destroy();
      try {
        if (!sink.waitFor(10, TimeUnit.SECONDS)) {
          sink.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sink = null;
    }
  }

  private long masterPid() {
    try {
      Path pid = directory.resolve("queue/pid/master.pid");
      return Files.exists(pid) ? Long.parseLong(Files.readString(pid).strip()) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Stops everything and deletes the instance's directory. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** For messages in failures: the ports and the directory. */
  @Override
  public String toString() {
    return "PostfixServer[smtp="
        + smtpPort
        + ", submission="
        + submissionPort
        + ", sink="
        + sinkPort
        + ", dir="
        + directory
        + "]";
  }

  /**
   * Lines of a delivered file up to its first empty line (smtp-sink's and the message's headers).
   */
  public static List<String> headerLines(Path delivered) {
    try {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(delivered, StandardCharsets.ISO_8859_1)) {
        if (line.isEmpty()) {
          break;
        }
        lines.add(line);
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
