package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SMTP receiver: Postfix's {@code smtp-sink} (Debian package {@code postfix}) on a free port
 * of 127.0.0.1, writing every message it accepts to a file of its own (with {@code X-Mail-Args} and
 * {@code X-Rcpt-Args} lines holding the envelope). It can answer chosen commands with a 4xx or 5xx
 * reply instead, and be restarted on the same port with other answers.
 */
public final class SmtpSink implements AutoCloseable {
  private final Path sink;
  private final Path directory;
  private final int port;
  private Process process;

  private SmtpSink(Path sink, Path directory, int port) {
    this.sink = sink;
    this.directory = directory;
    this.port = port;
  }

  /** Starts a sink that accepts everything. */
  public static SmtpSink start() {
    Path sink = Peers.command("smtp-sink", "postfix");
    try {
      Path dir = Files.createTempDirectory("authmill-sink");
      Path mail = Files.createDirectories(dir.resolve("mail"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(mail, PosixFilePermissions.fromString("rwxrwxrwx"));
      SmtpSink s = new SmtpSink(sink, dir, FreePort.tcpAndUdp());
      s.restart("", "");
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on at 127.0.0.1. */
  public int port() {
    return port;
  }

  /** From now on, accepts every message. */
  public void acceptAll() {
    restart("", "");
  }

  /**
   * From now on, answers the given commands (such as {@code "data"} or {@code "rcpt"}) with a 4xx
   * reply.
   */
  public void softReject(String commands) {
    restart(commands, "");
  }

  /** From now on, answers the given commands with a 5xx reply. */
  public void hardReject(String commands) {
    restart("", commands);
  }

  /**
   * The files of the messages accepted so far, oldest first. smtp-sink opens a file at MAIL FROM
   * and removes it when the transaction is abandoned; killed before that (a restart with other
   * answers), it leaves the file empty: only files with a recipient and content are messages.
   */
  public List<Path> messages() {
    try (Stream<Path> files = Files.list(directory.resolve("mail"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(SmtpSink::isMessage)
          .sorted(Comparator.comparing(SmtpSink::modified).thenComparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (at most {@code timeout}) until {@code count} messages were accepted. */
  public List<Path> awaitMessages(int count, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      List<Path> files = messages();
      if (files.size() >= count) {
        sleep(100);
        return messages();
      }
      sleep(50);
    }
    throw new AssertionError(
        "expected " + count + " message(s) within " + timeout + ", have " + messages().size());
  }

  private synchronized void restart(String soft, String hard) {
    stop();
    List<String> cmd = new ArrayList<>();
    cmd.add(sink.toString());
    if (Peers.isRoot()) {
      cmd.addAll(List.of("-u", "nobody"));
    }
    if (!soft.isEmpty()) {
      cmd.addAll(List.of("-r", soft));
    }
    if (!hard.isEmpty()) {
      cmd.addAll(List.of("-f", hard));
    }
    cmd.addAll(List.of("-d", directory.resolve("mail").resolve("msg.").toString()));
    cmd.add("127.0.0.1:" + port);
    cmd.add("50");
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(directory.resolve("sink.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plusSeconds(20);
    while (!FreePort.isListening(port)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("smtp-sink did not listen on " + port + ": " + log());
      }
      sleep(20);
    }
  }

  private String log() {
    try {
      return Files.readString(directory.resolve("sink.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    Instant deadline = Instant.now().plusSeconds(10);
    while (FreePort.isListening(port) && Instant.now().isBefore(deadline)) {
      sleep(20);
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static boolean isMessage(Path p) {
    try {
      return Files.size(p) > 0
          && Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)
              .contains("X-Rcpt-Args:");
    } catch (IOException e) {
      return false;
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
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
