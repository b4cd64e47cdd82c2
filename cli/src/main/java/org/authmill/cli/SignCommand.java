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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.dkim.SignatureAlgorithm;
import org.authmill.server.signing.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill sign}: DKIM-signs a message (RFC 6376 §5) with one or more keys, RSA (RFC 8301)
 * or Ed25519 (RFC 8463), over one pass of the body, and prints the signed message in the line-end
 * style of the input.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "DKIM-sign a message and print it with the DKIM-Signature field(s) on top.",
      "Give --key several times (e.g. RSA and Ed25519) for one signature per key.",
      "The output keeps the input's line ends (LF or CRLF); the signature is computed over CRLF."
    })
final class SignCommand implements Callable<Integer> {
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
      description = "Signing domain (d=).")
  String domain;

  @Option(
      names = "--selector",
      required = true,
      paramLabel = "S",
      description = "Selector (s=): once for all keys, or once per --key in the same order.")
  List<String> selectors = new ArrayList<>();

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "Private key: PEM (PKCS#1 or PKCS#8, RSA or Ed25519) or a base64 Ed25519 seed.")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--algorithm",
      paramLabel = "ALG",
      description = "rsa-sha256 or ed25519-sha256 (default: from each key's type).")
  String algorithm;

  @Option(
      names = "--canon",
      paramLabel = "HEADER/BODY",
      defaultValue = "relaxed/relaxed",
      description = "Canonicalization c= (default: ${DEFAULT-VALUE}).")
  String canon;

  @Option(
      names = "--headers",
      paramLabel = "NAMES",
      description =
          "Header fields to sign, separated by ':' or ',' (default: RFC 6376 §5.4.1 list).")
  String headers;

  @Option(
      names = "--oversign",
      paramLabel = "NAMES",
      description =
          "Fields signed once more than present, ':' or ',' separated, or 'none' (default: From,"
              + " To, Cc, Subject, Date, Reply-To, Message-ID, MIME fields, ...).")
  String oversign;

  @Option(names = "--identity", paramLabel = "I", description = "Identity (i=), within the domain.")
  String identity;

  @Option(
      names = "--expire",
      paramLabel = "SECONDS",
      description = "Write x=, this many seconds after the signing time.")
  Long expire;

  @Option(names = "--body-length", description = "Write l= (the body length count).")
  boolean bodyLength;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description = "Signing time for t=, in seconds since 1970 (default: now).")
  Long now;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the signed message here instead of standard output.")
  Path output;

  @Option(
      names = "--insecure-key-permissions",
      description = "Accept key files that group or others can read or write.")
  boolean insecureKeyPermissions;

  @Override
  public Integer call() throws IOException {
    List<DkimSigner> signers = signers();
    Path source;
    Path spool = null;
    if (message.equals("-")) {
      spool = Files.createTempFile("authmill-sign", ".eml");
      try (InputStream in = MessageInput.open("-")) {
        Files.copy(in, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      source = spool;
    } else {
      source = Path.of(message);
      MessageInput.open(message).close(); // clear errors for a missing file or a directory
    }
    try {
      String lineBreak = lineBreak(source);
      List<DkimSignatureField> fields;
      try (InputStream in = new CrlfInputStream(Files.newInputStream(source))) {
        fields = DkimSignStream.sign(signers, in);
      } catch (IllegalArgumentException e) {
        throw new InputException("cannot sign " + message + ": " + e.getMessage(), e);
      }
      try (OutputStream out = output()) {
        for (DkimSignatureField field : fields) {
          out.write((field.field(lineBreak) + lineBreak).getBytes(StandardCharsets.ISO_8859_1));
        }
        Files.copy(source, out);
      }
      return ExitCodes.PASS;
    } finally {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
  }

  private OutputStream output() throws IOException {
    if (output != null) {
      return Files.newOutputStream(output);
    }
    spec.commandLine().getOut().flush();
    return new BufferedOutputStream(
        new FilterOutputStream(System.out) {
          @Override
          public void close() throws IOException {
            flush(); // standard output stays open
          }
        },
        65536);
  }

  private List<DkimSigner> signers() {
    if (selectors.size() != 1 && selectors.size() != keys.size()) {
      throw new InputException(
          "give --selector once, or once per --key ("
              + keys.size()
              + " keys, "
              + selectors.size()
              + " selectors)");
    }
    Canonicalization[] c = parseCanon(canon);
    SignatureAlgorithm forced = null;
    if (algorithm != null) {
      forced =
          SignatureAlgorithm.fromTag(algorithm.toLowerCase(Locale.ROOT))
              .orElseThrow(
                  () ->
                      new InputException(
                          "--algorithm "
                              + algorithm
                              + ": expected rsa-sha256 or ed25519-sha256 (rsa-sha1 is forbidden by"
                              + " RFC 8301)"));
    }
    if (now != null && now < 0) {
      throw new InputException("--now must be seconds since 1970, not " + now);
    }
    if (expire != null && expire <= 0) {
      throw new InputException("--expire must be a positive number of seconds: " + expire);
    }
    List<DkimSigner> signers = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      DkimPrivateKey key = KeyFiles.read(keys.get(i), insecureKeyPermissions);
      if (forced != null && forced != key.algorithm()) {
        throw new InputException(
            "--algorithm " + forced.tag() + " does not suit " + keys.get(i) + " (" + key + ")");
      }
      DkimSigner.Builder builder =
          DkimSigner.builder()
              .domain(domain)
              .selector(selectors.get(selectors.size() == 1 ? 0 : i))
              .key(key)
              .canonicalization(c[0], c[1])
              .bodyLength(bodyLength);
      if (headers != null) {
        builder.headers(names(headers));
      }
      if (oversign != null) {
        builder.oversign(oversign.equalsIgnoreCase("none") ? List.of() : names(oversign));
      }
      if (identity != null) {
        builder.identity(identity);
      }
      if (expire != null) {
        builder.expiry(Duration.ofSeconds(expire));
      }
      if (now != null) {
        builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
      }
      try {
        signers.add(builder.build());
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage(), e);
      }
    }
    return signers;
  }

  static Canonicalization[] parseCanon(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length > 2) {
      throw new InputException("--canon " + text + ": expected HEADER/BODY, e.g. relaxed/simple");
    }
    Canonicalization header =
        Canonicalization.fromTag(parts[0].toLowerCase(Locale.ROOT)).orElse(null);
    Canonicalization body =
        parts.length == 1
            ? Canonicalization.SIMPLE
            : Canonicalization.fromTag(parts[1].toLowerCase(Locale.ROOT)).orElse(null);
    if (header == null || body == null) {
      throw new InputException(
          "--canon " + text + ": each part must be simple or relaxed, e.g. relaxed/relaxed");
    }
    return new Canonicalization[] {header, body};
  }

  private static List<String> names(String list) {
    List<String> out = new ArrayList<>();
    for (String name : list.split("[,:]")) {
      if (!name.isBlank()) {
        out.add(name.strip());
      }
    }
    if (out.isEmpty()) {
      throw new InputException("empty header field list: " + list);
    }
    return out;
  }

  /** LF when the first line of the file ends in a bare LF, otherwise CRLF. */
  static String lineBreak(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(64 * 1024);
      for (int i = 0; i < head.length; i++) {
        if (head[i] == '\n') {
          return i > 0 && head[i - 1] == '\r' ? "\r\n" : "\n";
        }
      }
    }
    return "\r\n";
  }
}
