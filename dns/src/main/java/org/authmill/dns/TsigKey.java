package org.authmill.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945 §4): the HMAC algorithm, the key name both sides know it by, and the shared
 * secret (base64), as {@code tsig-keygen} (BIND) and {@code keymgr -t} (Knot) print it.
 *
 * <p>{@link #parse(String)} reads {@code ALG:NAME:SECRET} (as {@code knsupdate -y} and {@code
 * nsupdate -y} take it); {@link #read(Path)} reads a file holding that line, a BIND {@code key
 * "NAME" { algorithm ALG; secret "SECRET"; };} clause, or a Knot {@code key:} section. The secret
 * is never part of {@link #toString()}.
 */
public record TsigKey(String algorithm, String name, String secret) {
  /** The HMAC algorithms RFC 8945 §6 lists as mandatory or recommended. */
  public static final Set<String> ALGORITHMS =
      Set.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  /** Files larger than this are not read as key files. */
  public static final int MAX_FILE_BYTES = 16 * 1024;

  private static final Pattern BIND =
      Pattern.compile(
          "key\\s+\"?([^\"\\s{]+)\"?\\s*\\{[^}]*?algorithm\\s+\"?([A-Za-z0-9-]+)\"?\\s*;[^}]*?"
              + "secret\\s+\"([^\"]+)\"",
          Pattern.DOTALL);
  private static final Pattern KNOT_ID = Pattern.compile("(?m)^\\s*-?\\s*id:\\s*(\\S+)\\s*$");
  private static final Pattern KNOT_ALG = Pattern.compile("(?m)^\\s*algorithm:\\s*(\\S+)\\s*$");
  private static final Pattern KNOT_SECRET = Pattern.compile("(?m)^\\s*secret:\\s*(\\S+)\\s*$");

  /** Validates: a known algorithm, a DNS name, a non-empty base64 secret. */
  public TsigKey {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secret, "secret");
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    if (algorithm.endsWith(".")) {
      algorithm = algorithm.substring(0, algorithm.length() - 1);
    }
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "TSIG algorithm " + algorithm + " is not one of " + String.join(", ", ALGORITHMS));
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("TSIG key name is empty");
    }
    try {
      Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("TSIG key name " + name + " is not a DNS name");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(secret.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TSIG secret for " + name + " is not base64");
    }
    if (raw.length == 0) {
      throw new IllegalArgumentException("TSIG secret for " + name + " is empty");
    }
    secret = secret.strip();
  }

  /**
   * Parses {@code ALG:NAME:SECRET}, such as {@code hmac-sha256:authmill.:c2VjcmV0}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static TsigKey parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String[] parts = spec.strip().split(":", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "TSIG key must be ALG:NAME:SECRET (for example hmac-sha256:authmill.:BASE64)");
    }
    return new TsigKey(parts[0], parts[1], parts[2]);
  }

  /**
   * Reads a key file: one {@code ALG:NAME:SECRET} line, a BIND key clause or a Knot key section.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static TsigKey read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(file + " is too large for a TSIG key file");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      Matcher bind = BIND.matcher(text);
      if (bind.find()) {
        return new TsigKey(bind.group(2), bind.group(1), bind.group(3));
      }
      Matcher id = KNOT_ID.matcher(text);
      Matcher alg = KNOT_ALG.matcher(text);
      Matcher secret = KNOT_SECRET.matcher(text);
      if (id.find() && alg.find() && secret.find()) {
        return new TsigKey(alg.group(1), id.group(1), secret.group(1));
      }
      for (String line : text.split("\n")) {
        String stripped = line.strip();
        if (!stripped.isEmpty() && !stripped.startsWith("#")) {
          return parse(stripped);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        file + ": no TSIG key (expected ALG:NAME:SECRET, a BIND key clause or a Knot key section)");
  }

  /** The key as {@code ALG:NAME:SECRET}, the form {@link #parse(String)} reads. */
  public String spec() {
    return algorithm + ":" + name + ":" + secret;
  }

  TSIG toTsig() {
    try {
      return new TSIG(TSIG.algorithmToName(algorithm), Name.fromString(name, Name.root), secret);
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "TsigKey[" + algorithm + ", " + name + "]"; // never the secret
  }
}
