package org.authmill.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.dns.TsigKey;
import org.authmill.keys.DomainSettings;
import org.authmill.keys.KeyAlgorithm;
import org.authmill.keys.RemovalMode;
import org.authmill.keys.RotationOutcome;
import org.authmill.keys.SelectorFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill keys rotate}: steps 1 to 4 of the rotation for one domain and algorithm (the
 * first key for a new domain), resuming a rotation in progress; the settings given are kept in the
 * state for the later steps, and options left out keep their stored values.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the next key, publish it (DNS UPDATE, or print it for keys confirm), wait until"
          + " every authoritative server serves it, and make it the signing key; the old key"
          + " retires after its TTL and the retention window (keys retire, or serve)."
    })
final class KeysRotateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeysStateOptions state;

  @Option(names = "--domain", required = true, paramLabel = "D", description = "Signing domain.")
  String domain;

  @Option(
      names = "--algorithm",
      paramLabel = "ALG",
      defaultValue = "rsa",
      description = "rsa or ed25519 (default: ${DEFAULT-VALUE}); each has its own keys.")
  String algorithm;

  @Option(
      names = "--dns-server",
      paramLabel = "HOST:PORT",
      description = "The zone's primary, which takes DNS UPDATE; without one, records are printed.")
  String dnsServer;

  @Option(
      names = "--no-dns-server",
      description = "Forget a stored --dns-server: publish by hand from now on.")
  boolean noDnsServer;

  @Option(
      names = "--tsig",
      paramLabel = "ALG:NAME:SECRET",
      description = "TSIG key for the updates, such as hmac-sha256:authmill.:BASE64.")
  String tsig;

  @Option(
      names = "--tsig-file",
      paramLabel = "FILE",
      description =
          "File with the TSIG key: ALG:NAME:SECRET, a BIND key clause (tsig-keygen) or a Knot key"
              + " section (keymgr -t); read at each use.")
  Path tsigFile;

  @Option(
      names = "--authoritative",
      paramLabel = "HOST:PORT",
      description =
          "A server to check instead of the zone's NS set at port 53 (repeatable; for tests and"
              + " split horizons).")
  List<String> authoritative = new ArrayList<>();

  @Option(names = "--selector", paramLabel = "S", description = "Selector of the new key.")
  String selector;

  @Option(
      names = "--selector-format",
      paramLabel = "PATTERN",
      description =
          "Pattern of new selectors: %Y %m %d %a (default: " + SelectorFormat.DEFAULT + ").")
  String selectorFormat;

  @Option(names = "--bits", paramLabel = "N", description = "RSA key size (default 2048).")
  Integer bits;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "TTL of the record (default 3600).")
  Long ttl;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description = "How long the old record stays beyond its TTL (default 7d).")
  String retention;

  @Option(
      names = "--overlap",
      negatable = true,
      description = "Sign with the old key too until it retires (default: no).")
  Boolean overlap;

  @Option(
      names = "--removal",
      paramLabel = "MODE",
      description = "delete the old record, or revoke it with an empty p= (default: delete).")
  String removal;

  @Option(
      names = "--archive",
      negatable = true,
      description = "Keep retired private keys under keys/archive/ (default: delete them).")
  Boolean archive;

  @Option(
      names = "--rotate-every",
      paramLabel = "DURATION",
      description = "Rotate again by itself (serve --state-dir) this long after activation.")
  String rotateEvery;

  @Override
  public Integer call() {
    KeyAlgorithm alg;
    DomainSettings settings;
    try {
      alg = KeyAlgorithm.parse(algorithm);
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    RotationOutcome outcome;
    try {
      outcome = state.rotator().rotate(settings, alg, Optional.ofNullable(selector));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return KeysText.report(
        spec.commandLine().getOut(), spec.commandLine().getErr(), List.of(outcome));
  }

  private DomainSettings settings() {
    if (tsig != null && tsigFile != null) {
      throw new IllegalArgumentException("give --tsig or --tsig-file, not both");
    }
    DomainSettings s =
        state.store().read().settings(domain).orElse(DomainSettings.defaults(domain));
    if (noDnsServer) {
      s = s.withDnsServer(Optional.empty()).withTsig(Optional.empty(), Optional.empty());
    }
    if (dnsServer != null) {
      s = s.withDnsServer(Optional.of(dnsServer));
    }
    if (tsig != null) {
      TsigKey.parse(tsig);
      s = s.withTsig(Optional.of(tsig), Optional.empty());
    }
    if (tsigFile != null) {
      if (!Files.isReadable(tsigFile)) {
        throw new IllegalArgumentException("--tsig-file " + tsigFile + " is missing or unreadable");
      }
      try {
        TsigKey.read(tsigFile);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--tsig-file " + tsigFile + ": " + e.getMessage());
      }
      s = s.withTsig(Optional.empty(), Optional.of(tsigFile.toAbsolutePath().toString()));
    }
    if (!authoritative.isEmpty()) {
      s = s.withAuthoritative(authoritative);
    }
    if (ttl != null || retention != null) {
      s =
          s.withTiming(
              ttl == null ? s.ttl() : ttl,
              retention == null ? s.retention() : KeysText.duration("--retention", retention));
    }
    if (overlap != null || removal != null || archive != null) {
      s =
          s.withRetirement(
              overlap == null ? s.overlap() : overlap,
              removal == null ? s.removal() : RemovalMode.parse(removal),
              archive == null ? s.archive() : archive);
    }
    if (bits != null || selectorFormat != null) {
      s =
          s.withGeneration(
              bits == null ? s.rsaBits() : bits,
              selectorFormat == null ? s.selectorFormat() : selectorFormat);
    }
    if (rotateEvery != null) {
      Duration every = KeysText.duration("--rotate-every", rotateEvery);
      s = s.withRotateEvery(every.isZero() ? Optional.empty() : Optional.of(every));
    }
    return s;
  }
}
