package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC interop with the implementations operators run, each cell its own test: Debian's dkimpy
 * (python3-dkim, {@code testdata/arc/arc_peer.py}) and Mail::DKIM (libmail-dkim-perl, {@code
 * testdata/arc/arc_peer.pl}), with the keys published by a real NSD (testkit) that all three ask.
 *
 * <ul>
 *   <li>one hop sealed by each implementation, verified by each (9 cells);
 *   <li>chains of 2 and 3 hops mixing the sealers, verified by each;
 *   <li>a body or a header changed after sealing fails in each verifier;
 *   <li>an Ed25519 seal by authmill passes in authmill and in neither peer, whose ARC code knows
 *       only rsa-sha256 (dkimpy 1.1: "unknown signature algorithm", Mail::DKIM: "unsupported
 *       algorithm"): seal with RSA for the receivers of today.
 * </ul>
 *
 * <p>Each hop first checks the chain it received with authmill and adds its Authentication-Results
 * with that {@code arc=} result, as an MTA would; dkimpy and Mail::DKIM ({@code Chain => 'ar'})
 * take their {@code cv=} from it, authmill verifies itself.
 */
class ArcInteropTest {
  private static final String ZONE_ORIGIN = "arc.example";
  private static final List<String> SEALERS = List.of("authmill", "dkimpy", "maildkim");

  @TempDir static Path dir;
  private static NsdServer nsd;
  private static DkimPrivateKey rsa;
  private static DkimPrivateKey ed25519;
  private static Path pkcs1;
  private static ArcVerifier verifier;

  @BeforeAll
  static void start() throws IOException {
    rsa = DkimPrivateKey.generateRsa(2048);
    ed25519 = DkimPrivateKey.generateEd25519();
    pkcs1 = dir.resolve("arc.pkcs1.pem");
    Files.writeString(pkcs1, pkcs1(rsa.toPkcs8Pem()), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(pkcs1, PosixFilePermissions.fromString("rw-------"));
    StringBuilder zone =
        new StringBuilder("$ORIGIN " + ZONE_ORIGIN + ".\n")
            .append("@ 300 IN SOA ns hostmaster 1 3600 600 86400 300\n")
            .append("@ 300 IN NS ns\n")
            .append("ns 300 IN A 127.0.0.1\n");
    for (int hop = 1; hop <= 3; hop++) {
      for (String sealer : SEALERS) {
        zone.append(sealer).append("._domainkey.hop").append(hop).append(" 300 IN TXT");
        String text = rsa.keyRecord();
        for (int i = 0; i < text.length(); i += 255) {
          zone.append(" \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
        }
        zone.append('\n');
      }
      zone.append("ed._domainkey.hop")
          .append(hop)
          .append(" 300 IN TXT \"")
          .append(ed25519.keyRecord())
          .append("\"\n");
    }
    nsd = NsdServer.serving(zone.toString());
    verifier =
        ArcVerifier.builder(DnsjavaResolver.builder().nameserver(nsd.address()).build()).build();
  }

  @AfterAll
  static void stop() {
    if (nsd != null) {
      nsd.close();
    }
  }

  private static String pkcs1(String pkcs8) throws IOException {
    PrivateKeyInfo info;
    try (PEMParser parser = new PEMParser(new StringReader(pkcs8))) {
      info = (PrivateKeyInfo) parser.readObject();
    }
    byte[] der = info.parsePrivateKey().toASN1Primitive().getEncoded();
    return "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  private static final String MESSAGE =
      "From: Author <author@author.example>\r\n"
          + "To: list@hop1.arc.example\r\n"
          + "Subject: ARC interop\r\n"
          + "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
          + "Message-ID: <interop@author.example>\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: text/plain\r\n"
          + "\r\n"
          + "Hello,\r\n"
          + "\r\n"
          + "a message that goes through several ARC sealers.\r\n";

  // ---- the peers

  private record Run(int exit, String out) {}

  private static Run run(List<String> command, byte[] input) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(input);
    } catch (IOException closedEarly) {
      // the process may exit before reading everything; its output says why
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static List<String> peer(String implementation, String... args) {
    List<String> command = new ArrayList<>();
    if (implementation.equals("dkimpy")) {
      command.add(Peers.python3Module("dkim", "python3-dkim").toString());
      Peers.python3Module("authres", "python3-authres");
      command.add(TestPaths.testdata("arc/arc_peer.py").toString());
    } else {
      command.add(perl().toString());
      command.add(TestPaths.testdata("arc/arc_peer.pl").toString());
    }
    command.add(args[0]);
    command.add(String.valueOf(nsd.port()));
    command.addAll(List.of(args).subList(1, args.length));
    return command;
  }

  private static Path perl() {
    Path perl = Peers.command("perl", "perl-base");
    try {
      Process p =
          new ProcessBuilder(perl.toString(), "-MMail::DKIM::ARC::Verifier", "-e", "1")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return perl;
      }
    } catch (IOException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Peers.missing("the Perl module Mail::DKIM (Debian package libmail-dkim-perl)");
  }

  /** The chain status one implementation finds ("pass", "fail", "none"), and its detail. */
  private static String verify(String implementation, byte[] message) throws Exception {
    if (implementation.equals("authmill")) {
      ArcOutcome outcome =
          verifier
              .verify(new ByteArrayInputStream(message))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return outcome.cv().tag() + "\n" + outcome.reason();
    }
    Run run = run(peer(implementation, "verify"), message);
    assertThat(run.exit()).as(run.out()).isZero();
    return run.out().strip();
  }

  private static String status(String verification) {
    int nl = verification.indexOf('\n');
    return nl < 0 ? verification : verification.substring(0, nl);
  }

  /**
   * One hop: checks the received chain with authmill, adds its Authentication-Results (arc= that
   * status), and seals with the implementation as {@code hopN.arc.example}.
   */
  private static byte[] hop(String implementation, int hop, byte[] message) throws Exception {
    String domain = "hop" + hop + "." + ZONE_ORIGIN;
    String cv = status(verify("authmill", message));
    byte[] received =
        concat(
            bytes(
                "Authentication-Results: "
                    + domain
                    + "; arc="
                    + cv
                    + ";\r\n\tspf=pass smtp.mailfrom=author.example\r\n"),
            message);
    String set;
    if (implementation.startsWith("authmill")) {
      boolean ed = implementation.equals("authmill-ed25519");
      ArcSealer sealer =
          ArcSealer.builder()
              .domain(domain)
              .selector(ed ? "ed" : "authmill")
              .key(ed ? ed25519 : rsa)
              .authservId(domain)
              .verifier(verifier)
              .build();
      ArcSealOutcome outcome =
          sealer
              .seal(new ByteArrayInputStream(received))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(outcome.set()).as(outcome.reason()).isPresent();
      set = String.join("\r\n", outcome.set().get().fields()) + "\r\n";
    } else {
      Run run =
          run(
              peer(implementation, "sign", domain, implementation, pkcs1.toString(), domain),
              received);
      assertThat(run.exit()).as(implementation + " sealing: " + run.out()).isZero();
      set = run.out().replace("\r\n", "\n").replace("\n", "\r\n").stripTrailing() + "\r\n";
      assertThat(set).as(implementation + " output").contains("ARC-Seal:");
    }
    return concat(bytes(set), received);
  }

  private static byte[] chain(List<String> sealers) throws Exception {
    byte[] message = bytes(MESSAGE);
    for (int i = 0; i < sealers.size(); i++) {
      message = hop(sealers.get(i), i + 1, message);
    }
    return message;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- the matrix

  private static List<List<String>> chains() {
    List<List<String>> chains = new ArrayList<>();
    for (String sealer : SEALERS) {
      chains.add(List.of(sealer));
    }
    chains.add(List.of("authmill", "dkimpy"));
    chains.add(List.of("dkimpy", "authmill"));
    chains.add(List.of("authmill", "maildkim"));
    chains.add(List.of("maildkim", "authmill"));
    chains.add(List.of("dkimpy", "maildkim"));
    chains.add(List.of("authmill", "dkimpy", "maildkim"));
    chains.add(List.of("maildkim", "dkimpy", "authmill"));
    chains.add(List.of("dkimpy", "authmill", "maildkim"));
    chains.add(List.of("authmill-ed25519"));
    chains.add(List.of("dkimpy", "authmill-ed25519", "maildkim"));
    return chains;
  }

  @TestFactory
  List<DynamicTest> sealedChain_passesInEveryVerifier() {
    List<DynamicTest> tests = new ArrayList<>();
    for (List<String> chain : chains()) {
      for (String verifierName : SEALERS) {
        boolean peerWithoutEd25519 =
            chain.contains("authmill-ed25519") && !verifierName.equals("authmill");
        tests.add(
            dynamicTest(
                "sealed by "
                    + String.join(" > ", chain)
                    + ", verified by "
                    + verifierName
                    + (peerWithoutEd25519 ? " (no Ed25519 in its ARC: must not pass)" : ""),
                () -> {
                  byte[] message = chain(chain);
                  String verification = verify(verifierName, message);
                  if (peerWithoutEd25519) {
                    // dkimpy 1.1 and Mail::DKIM 1.2023 know only rsa-sha256 for ARC
                    assertThat(status(verification)).as(verification).isNotEqualTo("pass");
                    assertThat(verification).contains("ed25519-sha256");
                    return;
                  }
                  assertThat(status(verification)).as(verification).isEqualTo("pass");
                  if (verifierName.equals("authmill")) {
                    ArcOutcome outcome =
                        verifier
                            .verify(new ByteArrayInputStream(message))
                            .toCompletableFuture()
                            .get();
                    assertThat(outcome.instances()).isEqualTo(chain.size());
                    assertThat(outcome.oldestPass()).isEqualTo(1);
                  }
                }));
      }
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> changedAfterSealing_failsInEveryVerifier() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String sealer : SEALERS) {
      for (String verifierName : SEALERS) {
        tests.add(
            dynamicTest(
                "body changed after " + sealer + " sealed, verified by " + verifierName,
                () -> {
                  byte[] message = concat(chain(List.of(sealer)), bytes("appended\r\n"));
                  String verification = verify(verifierName, message);
                  assertThat(status(verification)).as(verification).isEqualTo("fail");
                }));
        tests.add(
            dynamicTest(
                "Subject changed after " + sealer + " sealed, verified by " + verifierName,
                () -> {
                  String text =
                      new String(chain(List.of(sealer)), StandardCharsets.UTF_8)
                          .replace("Subject: ARC interop", "Subject: [list] ARC interop");
                  String verification = verify(verifierName, bytes(text));
                  assertThat(status(verification)).as(verification).isEqualTo("fail");
                }));
      }
    }
    return tests;
  }
}
