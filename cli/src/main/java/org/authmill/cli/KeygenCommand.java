package org.authmill.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.authmill.dkim.DkimPrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill keygen}: makes a DKIM key pair, RSA (RFC 8301 §3.2) or Ed25519 (RFC 8463), writes
 * the private key as PKCS#8 PEM with mode 0600 and prints the key record (RFC 6376 §3.6.1) in zone
 * file syntax, split into strings of at most 255 octets (RFC 1035 §3.3.14).
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a DKIM key pair and the DNS TXT record to publish.",
      "Writes DIR/SELECTOR.private (PKCS#8 PEM, mode 0600) and DIR/SELECTOR.txt, and prints the"
          + " TXT record to publish at SELECTOR._domainkey.DOMAIN."
    })
final class KeygenCommand implements Callable<Integer> {
  /** The longest character-string in a TXT record (RFC 1035 §3.3). */
  static final int MAX_STRING = 255;

  @Spec CommandSpec spec;

  @Option(names = "--domain", required = true, paramLabel = "D", description = "Signing domain.")
  String domain;

  @Option(names = "--selector", required = true, paramLabel = "S", description = "Selector.")
  String selector;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "rsa",
      description = "rsa or ed25519 (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(
      names = "--bits",
      paramLabel = "N",
      description = "RSA key size, 1024 to 8192 (default: 2048).")
  Integer bits;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Directory for the files, created if missing (default: the current directory).")
  Path out;

  @Option(names = "--force", description = "Replace existing files.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    String name = selector + "._domainkey." + domain;
    if (!isDomainName(domain) || !isDomainName(selector)) {
      throw new InputException("invalid domain or selector: " + name);
    }
    DkimPrivateKey key;
    switch (type.toLowerCase(Locale.ROOT)) {
      case "rsa" -> {
        int size = bits == null ? 2048 : bits;
        if (size < DkimPrivateKey.MIN_RSA_BITS || size > DkimPrivateKey.MAX_RSA_BITS) {
          throw new InputException(
              "--bits "
                  + size
                  + ": RSA keys for DKIM are "
                  + DkimPrivateKey.MIN_RSA_BITS
                  + " to "
                  + DkimPrivateKey.MAX_RSA_BITS
                  + " bits (RFC 8301 §3.2; 2048 is usual)");
        }
        key = DkimPrivateKey.generateRsa(size);
      }
      case "ed25519" -> {
        if (bits != null) {
          throw new InputException("--bits applies to RSA keys only; Ed25519 keys are 256 bits");
        }
        key = DkimPrivateKey.generateEd25519();
      }
      default -> throw new InputException("--type " + type + ": expected rsa or ed25519");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InputException("--out " + out + " is not a directory");
    }
    if (!Files.exists(out)) {
      try {
        Files.createDirectories(out);
      } catch (IOException e) {
        throw new InputException(
            "--out " + out + ": cannot create the directory: " + e.getMessage());
      }
    }
    Path privateFile = out.resolve(selector + ".private");
    Path recordFile = out.resolve(selector + ".txt");
    String zone = zoneRecord(name, key.keyRecord());
    writePrivate(privateFile, key.toPkcs8Pem());
    write(recordFile, zone + "\n");
    PrintWriter printer = spec.commandLine().getOut();
    printer.println(zone);
    printer.flush();
    spec.commandLine()
        .getErr()
        .println(
            "authmill: wrote "
                + privateFile
                + " ("
                + key.algorithm().keyType()
                + ", "
                + key.bits()
                + " bits) and "
                + recordFile);
    return ExitCodes.PASS;
  }

  /** The record in master file syntax, its text split into strings of at most 255 octets. */
  static String zoneRecord(String name, String text) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < text.length(); i += MAX_STRING) {
      strings.add(text.substring(i, Math.min(text.length(), i + MAX_STRING)));
    }
    StringBuilder out = new StringBuilder(name).append(". IN TXT (");
    for (String s : strings) {
      out.append(strings.size() == 1 ? " " : "\n  ").append('"').append(s).append('"');
    }
    return out.append(" )").toString();
  }

  private void writePrivate(Path file, String pem) throws IOException {
    if (force) {
      Files.deleteIfExists(file);
    }
    try (FileChannel channel =
            FileChannel.open(
                file,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        OutputStream stream = Channels.newOutputStream(channel)) {
      stream.write(pem.getBytes(StandardCharsets.US_ASCII));
    } catch (FileAlreadyExistsException e) {
      throw new InputException(file + " exists; pass --force to replace it", e);
    }
    // the umask may have narrowed the mode; make it exactly 0600
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private void write(Path file, String text) throws IOException {
    if (Files.exists(file) && !force) {
      throw new InputException(file + " exists; pass --force to replace it");
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII);
  }

  static boolean isDomainName(String name) {
    return name.matches("[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*")
        && name.length() <= 253;
  }
}
