package org.authmill.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative DNS server (NLnet Labs NSD, Debian package {@code nsd}) serving test zones
 * on a free port of 127.0.0.1, started by a test and stopped when closed.
 *
 * <p>The zone text may hold records of many unrelated domains, as the project's fixtures do. Each
 * name that owns an SOA record becomes a zone of its own; every other record is served from a root
 * zone that this class gives an SOA, so that any name is answered authoritatively: NXDOMAIN, NODATA
 * or records, never REFUSED.
 */
public final class NsdServer implements AutoCloseable {
  /** The negative TTL (SOA minimum) of the synthesized root zone. */
  public static final long ROOT_NEGATIVE_TTL = 300;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path directory;
  private final int port;
  private Process process;

  private NsdServer(Path directory, int port, Process process) {
    this.directory = directory;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts NSD serving the records of an RFC 1035 master file's text. Skips (or, in CI, fails) the
   * calling test when NSD is not installed or the test does not run as root.
   */
  public static NsdServer serving(String zoneText) {
    Path nsd = Peers.command("nsd", "nsd");
    if (!Peers.isRoot()) {
      return Peers.missing("root privileges to start nsd");
    }
    try {
      Path dir = Files.createTempDirectory("authmill-nsd");
      int port = FreePort.tcpAndUdp();
      Map<Name, List<Record>> zones = splitIntoZones(zoneText);
      StringBuilder conf = new StringBuilder();
      conf.append("server:\n")
          .append("  ip-address: 127.0.0.1@")
          .append(port)
          .append('\n')
          .append("  port: ")
          .append(port)
          .append('\n')
          .append("  do-ip6: no\n")
          .append("  username: \"\"\n")
          .append("  chroot: \"\"\n")
          .append("  zonesdir: \"")
          .append(dir)
          .append("\"\n")
          .append("  zonelistfile: \"")
          .append(dir.resolve("zone.list"))
          .append("\"\n")
          .append("  database: \"\"\n")
          .append("  xfrdfile: \"")
          .append(dir.resolve("xfrd.state"))
          .append("\"\n")
          .append("  xfrdir: \"")
          .append(dir)
          .append("\"\n")
          .append("  pidfile: \"")
          .append(dir.resolve("nsd.pid"))
          .append("\"\n")
          .append("  logfile: \"")
          .append(dir.resolve("nsd.log"))
          .append("\"\n")
          .append("  server-count: 1\n")
          .append("  verbosity: 1\n")
          .append("remote-control:\n  control-enable: no\n");
      int index = 0;
      for (Map.Entry<Name, List<Record>> zone : zones.entrySet()) {
        String file = "zone" + index++ + ".zone";
        StringBuilder text = new StringBuilder();
        for (Record record : zone.getValue()) {
          text.append(record).append('\n');
        }
        Files.writeString(dir.resolve(file), text.toString(), StandardCharsets.UTF_8);
        conf.append("zone:\n  name: \"")
            .append(zone.getKey())
            .append("\"\n")
            .append("  zonefile: \"")
            .append(file)
            .append("\"\n");
      }
      Path confFile = dir.resolve("nsd.conf");
      Files.writeString(confFile, conf.toString());
      Process process =
          new ProcessBuilder(nsd.toString(), "-d", "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("nsd.out").toFile())
              .start();
      NsdServer server = new NsdServer(dir, port, process);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts NSD serving a master file, as {@link #serving(String)} does. */
  public static NsdServer servingFile(Path zoneFile) {
    try {
      return serving(Files.readString(zoneFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port NSD listens on, over UDP and TCP, at 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The address to send queries to. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** Stops the server; later queries to its address get no answer. Idempotent. */
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

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    SimpleResolver probe = new SimpleResolver(address());
    probe.setTimeout(Duration.ofMillis(200));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        String out =
            readQuietly(directory.resolve("nsd.out")) + readQuietly(directory.resolve("nsd.log"));
        throw new IllegalStateException("nsd exited with " + process.exitValue() + ": " + out);
      }
      try {
        Message response = probe.send(Message.newQuery(Record.newRecord(Name.root, Type.SOA, 1)));
        if (response.getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException notYet) {
        // keep polling until the deadline
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stop();
    throw new IllegalStateException(
        "nsd did not answer within "
            + START_TIMEOUT
            + ": "
            + readQuietly(directory.resolve("nsd.log")));
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** Groups records by the closest enclosing SOA owner; the rest go to a synthesized root zone. */
  private static Map<Name, List<Record>> splitIntoZones(String zoneText) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(
            new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    Map<Name, List<Record>> zones = new LinkedHashMap<>();
    zones.put(Name.root, new ArrayList<>());
    for (Record r : records) {
      if (r instanceof SOARecord) {
        zones.computeIfAbsent(r.getName(), n -> new ArrayList<>());
      }
    }
    Name ns = Name.fromConstantString("ns.nsd.invalid.");
    if (records.stream().noneMatch(r -> r instanceof SOARecord && r.getName().equals(Name.root))) {
      zones
          .get(Name.root)
          .add(
              new SOARecord(
                  Name.root,
                  DClass.IN,
                  ROOT_NEGATIVE_TTL,
                  ns,
                  Name.fromConstantString("hostmaster.nsd.invalid."),
                  1,
                  3600,
                  600,
                  86400,
                  ROOT_NEGATIVE_TTL));
    }
    for (Map.Entry<Name, List<Record>> zone : zones.entrySet()) {
      if (zone.getValue().stream()
              .noneMatch(r -> r.getType() == Type.NS && r.getName().equals(zone.getKey()))
          && records.stream()
              .noneMatch(r -> r.getType() == Type.NS && r.getName().equals(zone.getKey()))) {
        zone.getValue().add(new NSRecord(zone.getKey(), DClass.IN, ROOT_NEGATIVE_TTL, ns));
      }
    }
    for (Record r : records) {
      Name zone = Name.root;
      for (Name candidate : zones.keySet()) {
        if (r.getName().subdomain(candidate) && candidate.labels() > zone.labels()) {
          zone = candidate;
        }
      }
      zones.get(zone).add(r);
    }
    return zones;
  }
}
