package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real IMAP server (Dovecot, Debian package {@code dovecot-imapd}) on a free port of 127.0.0.1,
 * IMAP over implicit TLS only (a self-signed certificate made with {@code openssl} for 127.0.0.1),
 * with one user whose mailbox is a Maildir the test fills before or while the server runs. Started
 * by a test, stopped and removed when closed. Needs root (Dovecot drops to its own users); skips or
 * fails (in CI) as {@link Peers} does otherwise.
 */
public final class DovecotServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path directory;
  private final int port;
  private final String user;
  private final String password;
  private Process process;

  private DovecotServer(Path directory, int port, String user, String password, Process process) {
    this.directory = directory;
    this.port = port;
    this.user = user;
    this.password = password;
    this.process = process;
  }

  /** Starts Dovecot with user {@code user} / {@code password} and an empty INBOX. */
  public static DovecotServer start(String user, String password) {
    Path dovecot = Peers.command("dovecot", "dovecot-imapd");
    Path openssl = Peers.command("openssl", "openssl");
    if (!Files.exists(Path.of("/usr/lib/dovecot/imap"))) {
      Peers.missing("the Dovecot IMAP server /usr/lib/dovecot/imap (Debian package dovecot-imapd)");
    }
    if (!Peers.isRoot()) {
      return Peers.missing("root privileges to start dovecot");
    }
    try {
      Path dir = Files.createTempDirectory("authmill-dovecot");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Process cert =
          new ProcessBuilder(
                  openssl.toString(),
                  "req",
                  "-x509",
                  "-newkey",
                  "rsa:2048",
                  "-nodes",
                  "-keyout",
                  dir.resolve("key.pem").toString(),
                  "-out",
                  dir.resolve("cert.pem").toString(),
                  "-days",
                  "2",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.out").toFile())
              .start();
      if (!cert.waitFor(60, TimeUnit.SECONDS) || cert.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl could not make a certificate: "
                + Files.readString(dir.resolve("openssl.out")));
      }
      Files.writeString(dir.resolve("passwd"), user + ":{PLAIN}" + password + "\n");
      Path home = dir.resolve("home").resolve(user);
      for (String sub : List.of("cur", "new", "tmp")) {
        Files.createDirectories(home.resolve("Maildir").resolve(sub));
      }
      chown(dir.resolve("home"));
      int port = FreePort.tcpAndUdp();
      String conf =
          String.join(
              "\n",
              "base_dir = " + dir.resolve("run"),
              "state_dir = " + dir.resolve("state"),
              "log_path = " + dir.resolve("dovecot.log"),
              "instance_name = authmill-test-" + port,
              "protocols = imap",
              "listen = 127.0.0.1",
              "ssl = required",
              "ssl_cert = <" + dir.resolve("cert.pem"),
              "ssl_key = <" + dir.resolve("key.pem"),
              "disable_plaintext_auth = yes",
              "auth_mechanisms = plain login",
              "default_internal_user = dovecot",
              "default_login_user = dovenull",
              "passdb {",
              "  driver = passwd-file",
              "  args = scheme=PLAIN username_format=%u " + dir.resolve("passwd"),
              "}",
              "userdb {",
              "  driver = static",
              "  args = uid=dovecot gid=dovecot home=" + dir.resolve("home") + "/%u",
              "}",
              "mail_location = maildir:~/Maildir",
              "first_valid_uid = 1",
              "service imap-login {",
              "  chroot =",
              "  inet_listener imap {",
              "    port = 0",
              "  }",
              "  inet_listener imaps {",
              "    port = " + port,
              "    ssl = yes",
              "  }",
              "}",
              "service anvil {",
              "  chroot =",
              "}",
              "");
      Path confFile = dir.resolve("dovecot.conf");
      Files.writeString(confFile, conf, StandardCharsets.UTF_8);
      Process process =
          new ProcessBuilder(dovecot.toString(), "-F", "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("dovecot.out").toFile())
              .start();
      DovecotServer server = new DovecotServer(dir, port, user, password, process);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void chown(Path path) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("chown", "-R", "dovecot:dovecot", path.toString())
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "chown dovecot failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }

  /** The IMAPS port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The user name. */
  public String user() {
    return user;
  }

  /** The user's password. */
  public String password() {
    return password;
  }

  /** The server's self-signed certificate (PEM), for the client to trust. */
  public Path certificate() {
    return directory.resolve("cert.pem");
  }

  /** The user's Maildir (INBOX is its root; folder F is {@code .F}). */
  public Path maildir() {
    return directory.resolve("home").resolve(user).resolve("Maildir");
  }

  /**
   * Delivers a message into INBOX as a new (unseen) message, as a local delivery agent would:
   * written to {@code tmp/} and renamed into {@code new/}.
   */
  public void deliver(String uniqueName, byte[] message) {
    try {
      Path tmp = maildir().resolve("tmp").resolve(uniqueName);
      Files.write(tmp, message);
      Path target = maildir().resolve("new").resolve(uniqueName);
      Files.move(tmp, target);
      chown(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Dovecot's log, for failure messages. */
  public String log() {
    try {
      return Files.readString(directory.resolve("dovecot.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "dovecot exited: " + Files.readString(directory.resolve("dovecot.out")) + log());
      }
      if (FreePort.isListening(port)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    close();
    throw new IllegalStateException("dovecot did not listen on port " + port + " in time");
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
