package org.authmill.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative DNS server (CZ.NIC Knot DNS, Debian package {@code knot}) on a free port of
 * 127.0.0.1 with a temporary directory, started by a test and stopped when closed: a primary that
 * accepts DNS UPDATEs (RFC 2136) signed with its TSIG key (RFC 8945; a Knot {@code acl} with {@code
 * action: update} for TXT records under {@code _domainkey}, as the README advises) and sends NOTIFY
 * to its secondary, or a secondary that transfers the zone from its primary (AXFR, then IXFR).
 *
 * <pre>{@code
 * try (KnotServer primary = KnotServer.primary("example.com", zoneText);
 *     KnotServer secondary = primary.startSecondary()) {
 *   // UPDATE to primary.address() with primary.tsigSpec(); check both servers
 *   secondary.freeze(); // holds the secondary back: no transfer applies until thaw()
 * }
 * }</pre>
 *
 * <p>Skips the calling test (fails it when {@code CI=true}) when Knot is not installed.
 */
public final class KnotServer implements AutoCloseable {
  /** The TSIG algorithm of the primary's update key. */
  public static final String TSIG_ALGORITHM = "hmac-sha256";

  /** The name of the primary's update key. */
  public static final String TSIG_NAME = "authmill-update.";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path directory;
  private final String zone;
  private final int port;
  private final int peerPort;
  private final String tsigSecret;
  private final boolean primary;
  private Process process;

  private KnotServer(
      Path directory, String zone, int port, int peerPort, String tsigSecret, boolean primary) {
    this.directory = directory;
    this.zone = zone;
    this.port = port;
    this.peerPort = peerPort;
    this.tsigSecret = tsigSecret;
    this.primary = primary;
  }

  /**
   * Starts a primary for {@code zone} serving the master file text {@code zoneText} (its SOA at the
   * apex), with a new random TSIG key allowed to update the zone, and NOTIFY set up for the
   * secondary that {@link #startSecondary()} starts.
   */
  public static KnotServer primary(String zone, String zoneText) {
    Path knotd = Peers.command("knotd", "knot");
    Peers.command("knotc", "knot");
    try {
      Path dir = Files.createTempDirectory("authmill-knot-primary");
      int port = FreePort.tcpAndUdp();
      int secondaryPort = FreePort.tcpAndUdp();
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      String tsig = Base64.getEncoder().encodeToString(secret);
      String apex = absolute(zone);
      Files.writeString(dir.resolve("zone.db"), zoneText, StandardCharsets.UTF_8);
      String conf =
          common(dir, port)
              + "key:\n"
              + "  - id: "
              + TSIG_NAME
              + "\n    algorithm: "
              + TSIG_ALGORITHM
              + "\n    secret: "
              + tsig
              + "\n"
              + "remote:\n  - id: secondary\n    address: 127.0.0.1@"
              + secondaryPort
              + "\n"
              + "acl:\n"
              + "  - id: update\n    key: "
              + TSIG_NAME
              + "\n    action: update\n    update-type: TXT\n    update-owner: name\n"
              + "    update-owner-match: sub\n    update-owner-name: _domainkey\n"
              + "  - id: transfer\n    address: 127.0.0.1\n    action: transfer\n"
              + "zone:\n  - domain: "
              + apex
              + "\n    storage: "
              + dir
              + "\n    file: zone.db\n    notify: secondary\n    acl: [update, transfer]\n";
      Files.writeString(dir.resolve("knot.conf"), conf);
      KnotServer server = new KnotServer(dir, apex, port, secondaryPort, tsig, true);
      server.launch(knotd);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the secondary of this primary on the port the primary sends NOTIFY to; it transfers the
   * zone at once and after every NOTIFY. Close it before or with the primary.
   */
  public KnotServer startSecondary() {
    if (!primary) {
      throw new IllegalStateException("only a primary has a secondary");
    }
    Path knotd = Peers.command("knotd", "knot");
    try {
      Path dir = Files.createTempDirectory("authmill-knot-secondary");
      String conf =
          common(dir, peerPort)
              + "remote:\n  - id: primary\n    address: 127.0.0.1@"
              + port
              + "\n"
              + "acl:\n  - id: notify\n    address: 127.0.0.1\n    action: notify\n"
              + "zone:\n  - domain: "
              + zone
              + "\n    storage: "
              + dir
              + "\n    file: zone.db\n    master: primary\n    acl: notify\n";
      Files.writeString(dir.resolve("knot.conf"), conf);
      KnotServer server = new KnotServer(dir, zone, peerPort, port, null, false);
      server.launch(knotd);
      server.awaitSerialOf(this);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String common(Path dir, int port) {
    return "server:\n"
        + "    rundir: "
        + dir
        + "\n    listen: 127.0.0.1@"
        + port
        + "\n    pidfile: "
        + dir.resolve("knot.pid")
        + "\n"
        + "log:\n  - target: stderr\n    any: info\n"
        + "database:\n    storage: "
        + dir
        + "\n"
        + "control:\n    listen: "
        + dir.resolve("knot.sock")
        + "\n";
  }

  /** The zone's apex, absolute ({@code example.com.}). */
  public String zone() {
    return zone;
  }

  /** The port Knot listens on, over UDP and TCP, at 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The address to send queries (and, to a primary, updates) to. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** The primary's update key as {@code ALG:NAME:SECRET}. */
  public String tsigSpec() {
    if (!primary) {
      throw new IllegalStateException("a secondary has no update key");
    }
    return TSIG_ALGORITHM + ":" + TSIG_NAME + ":" + tsigSecret;
  }

  /** True while the server process runs. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Holds the zone: Knot applies no change until {@link #thaw()} (on a secondary: no transfer; on a
   * primary: updates are answered REFUSED).
   */
  public void freeze() {
    control("zone-freeze", zone);
  }

  /** Ends {@link #freeze()}; a secondary then transfers what it missed. */
  public void thaw() {
    control("zone-thaw", zone);
    if (!primary) {
      control("zone-refresh", zone);
    }
  }

  /** The zone's SOA serial as this server answers it, or -1 when it gives no answer. */
  public long serial() {
    try {
      SimpleResolver resolver = new SimpleResolver(address());
      resolver.setTimeout(Duration.ofSeconds(1));
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN));
      query.getHeader().unsetFlag(Flags.RD);
      Message response = resolver.send(query);
      if (response.getRcode() == Rcode.NOERROR) {
        for (Record r : response.getSection(org.xbill.DNS.Section.ANSWER)) {
          if (r instanceof SOARecord soa) {
            return soa.getSerial();
          }
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Waits (up to 20 s) until this server answers the serial {@code other} answers now: a secondary
   * has caught up with its primary.
   */
  public void awaitSerialOf(KnotServer other) {
    long wanted = other.serial();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      long have = serial();
      if (have >= 0 && have == wanted) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException(
        "knot on port "
            + port
            + " still answers serial "
            + serial()
            + ", not "
            + wanted
            + ": "
            + log());
  }

  /** Stops the server; queries to its address then get no answer. Idempotent. */
  public synchronized void stop() {
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
  }

  /** Starts the server again after {@link #stop()}, with its zone data and journal as they were. */
  public synchronized void start() {
    if (process != null) {
      return;
    }
    launch(Peers.command("knotd", "knot"));
  }

  /** What Knot logged so far. */
  public String log() {
    try {
      return Files.readString(directory.resolve("knot.out"));
    } catch (IOException e) {
      return "";
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

  private synchronized void launch(Path knotd) {
    try {
      process =
          new ProcessBuilder(knotd.toString(), "-c", directory.resolve("knot.conf").toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(directory.resolve("knot.out").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("knotd exited with " + process.exitValue() + ": " + log());
      }
      if (primary ? serial() >= 0 : answers()) {
        return;
      }
      sleep(50);
    }
    stop();
    throw new IllegalStateException("knotd did not answer within " + START_TIMEOUT + ": " + log());
  }

  /** True once the server answers at all (a secondary may not have the zone yet). */
  private boolean answers() {
    try {
      SimpleResolver resolver = new SimpleResolver(address());
      resolver.setTimeout(Duration.ofMillis(300));
      resolver.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN)));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void control(String... command) {
    Path knotc = Peers.command("knotc", "knot");
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                knotc.toString(),
                "-s",
                directory.resolve("knot.sock").toString(),
                // wait for a freeze, thaw or refresh to take effect, not only to be queued
                "-b",
                "-t",
                "15"));
    args.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("knotc " + String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
