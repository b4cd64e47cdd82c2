package org.authmill.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.authmill.arc.ArcSealOutcome;
import org.authmill.arc.ArcSealer;
import org.authmill.arc.ArcVerifier;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.server.signing.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill arc seal}: verifies the message's existing ARC chain, then prints the message
 * with a new ARC set on top (RFC 8617 §5.1): the ARC-Authentication-Results from the message's
 * Authentication-Results of {@code --authserv-id}, the ARC-Message-Signature and the ARC-Seal with
 * {@code cv=} from the verification. Where RFC 8617 adds no set (the newest seal already records
 * {@code cv=fail}, or 50 sets), the message is printed unchanged and the status is 1.
 */
@Command(
    name = "seal",
    mixinStandardHelpOptions = true,
    description = {
      "Seal a message with a new ARC set (RFC 8617 §5.1) and print it with the set on top.",
      "Exit status 0 when a set was added, 1 when RFC 8617 says to add none, 2 for bad input."
    })
final class ArcSealCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MESSAGE",
      description = "The message file, or - for standard input (the default).")
  String message = "-";

  @Option(
      names = "--domain",
      required = true,
      paramLabel = "D",
      description = "Sealing domain (d=).")
  String domain;

  @Option(names = "--selector", required = true, paramLabel = "S", description = "Selector (s=).")
  String selector;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "Private key: PEM (PKCS#1 or PKCS#8, RSA or Ed25519) or a base64 Ed25519 seed.")
  Path key;

  @Option(
      names = "--authserv-id",
      required = true,
      paramLabel = "ID",
      description =
          "Authserv-id whose Authentication-Results the ARC-Authentication-Results records.")
  String authservId;

  @Option(
      names = "--timestamp",
      paramLabel = "EPOCH",
      description = "Sealing time for t=, in seconds since 1970 (default: now).")
  Long timestamp;

  @Option(
      names = "--headers",
      paramLabel = "H1:H2:...",
      description =
          "Header fields the ARC-Message-Signature signs, ':' or ',' separated, listed as given"
              + " (default: From, To, Subject, Date, Message-ID, MIME and list fields, ..., as"
              + " present).")
  String headers;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the sealed message here instead of standard output.")
  Path output;

  @Option(
      names = "--insecure-key-permissions",
      description = "Accept key files that group or others can read or write.")
  boolean insecureKeyPermissions;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() throws IOException {
    if (timestamp != null && timestamp < 0) {
      throw new InputException("--timestamp must be seconds since 1970, not " + timestamp);
    }
    DkimPrivateKey privateKey = KeyFiles.read(key, insecureKeyPermissions);
    ArcSealer sealer;
    try {
      ArcSealer.Builder builder =
          ArcSealer.builder()
              .domain(domain)
              .selector(selector)
              .key(privateKey)
              .authservId(authservId)
              .verifier(ArcVerifier.builder(dns.resolver()).build());
      if (headers != null) {
        List<String> names = new ArrayList<>();
        for (String name : headers.split("[,:]")) {
          if (!name.isBlank()) {
            names.add(name.strip());
          }
        }
        builder.headers(names);
      }
      if (timestamp != null) {
        builder.clock(Clock.fixed(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC));
      }
      sealer = builder.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    Path source;
    Path spool = null;
    if (message.equals("-")) {
      spool = Files.createTempFile("authmill-arc-seal", ".eml");
      try (InputStream in = MessageInput.open("-")) {
        Files.copy(in, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      source = spool;
    } else {
      source = Path.of(message);
      MessageInput.open(message).close();
    }
    try {
      String lineBreak = SignCommand.lineBreak(source);
      ArcSealOutcome outcome;
      try (InputStream in = new CrlfInputStream(Files.newInputStream(source))) {
        outcome = sealer.seal(in).toCompletableFuture().join();
      }
      spec.commandLine().getOut().flush();
      try (OutputStream out = output != null ? Files.newOutputStream(output) : stdout()) {
        if (outcome.set().isPresent()) {
          for (String field : outcome.set().get().fields(lineBreak)) {
            out.write((field + lineBreak).getBytes(StandardCharsets.UTF_8));
          }
        }
        Files.copy(source, out);
      }
      if (!outcome.sealed()) {
        spec.commandLine().getErr().println("authmill arc seal: " + outcome.reason());
        return ExitCodes.NOT_PASS;
      }
      return ExitCodes.PASS;
    } finally {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
  }

  private static OutputStream stdout() {
    return new BufferedOutputStream(
        new FilterOutputStream(System.out) {
          @Override
          public void close() throws IOException {
            flush(); // standard output stays open
          }
        },
        65536);
  }
}
