package org.authmill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.arc.ArcOutcome;
import org.authmill.arc.ArcPolicy;
import org.authmill.arc.ArcVerifier;
import org.authmill.arc.ArcVerifyStream;
import org.authmill.arc.TrustedSealer;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.AuthStream;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.MessageSink;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.PublicSuffixList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill check [MESSAGE|-] --ip IP --mail-from ADDR [--helo NAME]}: what the filter would
 * conclude about an inbound message: SPF (RFC 7208), every DKIM signature (RFC 6376) and DMARC (RFC
 * 9989), and the ARC chain (RFC 8617, with any DMARC override by a {@code --trusted-sealer}),
 * printed as the Authentication-Results field (RFC 8601) it would add, or as JSON (with an {@code
 * arc} member).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "SPF + DKIM + DMARC for a message, as the filter checks inbound mail;"
          + " prints the Authentication-Results header.",
      "An empty --mail-from \"\" is the null reverse-path (SPF checks postmaster@HELO).",
      "Bare LF line ends in the file are read as CRLF.",
      "Exit status follows the DMARC result: 0 pass, 1 other, 2 bad input, 75 temperror."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MESSAGE",
      description = "The message file, or - for standard input (the default).")
  String message = "-";

  @Mixin EnvelopeOptions envelope;

  @Option(
      names = "--authserv-id",
      paramLabel = "ID",
      defaultValue = "localhost",
      description = "The authserv-id to write (RFC 8601 §2.5; default: ${DEFAULT-VALUE}).")
  String authservId;

  @Option(
      names = "--now",
      paramLabel = "TIME",
      description = "Check as of this time (epoch seconds or ISO-8601): DKIM expiry, SPF %%{t}.")
  String now;

  @Option(
      names = "--dmarc-mode",
      paramLabel = "MODE",
      defaultValue = "rfc9989",
      description = "rfc9989 (default: the DNS tree walk) or rfc7489 (Public Suffix List).")
  String dmarcMode;

  @Option(
      names = "--psl",
      paramLabel = "FILE",
      description = "Public Suffix List for --dmarc-mode rfc7489 (default: ${DEFAULT-VALUE}).")
  Path psl = PublicSuffixList.DEBIAN_PATH;

  @Option(names = "--no-helo-check", description = "Do not check the HELO identity separately.")
  boolean noHeloCheck;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--trusted-sealer",
      paramLabel = "DOMAIN[:SELECTOR]",
      description =
          "An ARC sealer whose recorded pass overrides a DMARC failure (RFC 8617 §7.2; repeatable).")
  List<String> trustedSealers = new ArrayList<>();

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    InetAddress client = envelope.client();
    envelope.requireHeloForNullSender();
    Authenticator authenticator = authenticator();
    AuthStream authentication = authenticator.begin(client, envelope.helo(), envelope.sender());
    ArcPolicy policy = arcPolicy();
    ArcVerifyStream arc = ArcVerifier.builder(dns.resolver()).build().newStream();
    MessageSink both =
        new MessageSink() {
          @Override
          public void header(byte[] field, int offset, int length) {
            authentication.header(field, offset, length);
            arc.header(field, offset, length);
          }

          @Override
          public void endOfHeaders() {
            authentication.endOfHeaders();
            arc.endOfHeaders();
          }

          @Override
          public void body(byte[] bytes, int offset, int length) {
            authentication.body(bytes, offset, length);
            arc.body(bytes, offset, length);
          }
        };
    try (InputStream in = new CrlfInputStream(MessageInput.open(message))) {
      MessageSink.feed(in, both, 1 << 20);
    } catch (IOException e) {
      throw new InputException("cannot read " + message + ": " + e.getMessage(), e);
    }
    AuthOutcome report = authentication.finish().toCompletableFuture().join();
    ArcOutcome chain = arc.finish().toCompletableFuture().join();
    ArcPolicy.Applied applied =
        policy.apply(
            report.authenticationResults(),
            report.dmarc().result() == DmarcResult.FAIL,
            report.dmarc().authorDomain(),
            chain,
            Optional.of(client.getHostAddress()));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>(report.toJson());
      Map<String, Object> arcJson = new LinkedHashMap<>(ArcVerifyCommand.toJson(chain));
      Map<String, Object> override = null;
      if (applied.override().isPresent()) {
        override = new LinkedHashMap<>();
        override.put("sealer", applied.override().get().sealer());
        override.put("instance", applied.override().get().instance());
        override.put("evidence", applied.override().get().evidence());
      }
      arcJson.put("override", override);
      object.put("arc", arcJson);
      object.put("authentication_results", applied.results().toFieldValue());
      out.println(Json.write(object));
    } else {
      out.println("Authentication-Results: " + applied.results().fold(78, "\n"));
    }
    out.flush();
    DmarcResult result = report.dmarc().result();
    if (result == DmarcResult.PASS) {
      return ExitCodes.PASS;
    }
    return result == DmarcResult.TEMPERROR ? ExitCodes.TEMPFAIL : ExitCodes.NOT_PASS;
  }

  private ArcPolicy arcPolicy() {
    try {
      return new ArcPolicy(trustedSealers.stream().map(TrustedSealer::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new InputException("--trusted-sealer: " + e.getMessage(), e);
    }
  }

  private Authenticator authenticator() {
    Authenticator.Builder builder =
        Authenticator.builder(dns.resolver())
            .clock(SpfCommand.clockAt(now))
            .checkHelo(!noHeloCheck);
    try {
      builder.authservId(authservId);
      switch (dmarcMode.toLowerCase(Locale.ROOT)) {
        case "rfc9989" -> builder.dmarcMode(DmarcMode.RFC9989, null);
        case "rfc7489" -> builder.dmarcMode(DmarcMode.RFC7489, readPsl());
        default ->
            throw new InputException("--dmarc-mode must be rfc9989 or rfc7489: " + dmarcMode);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  private PublicSuffixList readPsl() {
    try {
      return PublicSuffixList.fromFile(psl);
    } catch (IOException e) {
      throw new InputException(
          "cannot read the Public Suffix List "
              + psl
              + " (Debian package publicsuffix): "
              + e.getMessage(),
          e);
    }
  }
}
