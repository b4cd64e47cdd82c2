package org.authmill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.dkim.DkimVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill verify [MESSAGE|-]}: verifies every DKIM signature of a message (RFC 6376 §6, RFC
 * 8301, RFC 8463) and prints one line per signature and the message result, or one JSON object.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "DKIM-verify a message (RFC 6376): one line per signature, then the result.",
      "The result is pass if any signature passes, none if there is no signature.",
      "Bare LF line ends in the file are read as CRLF."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MESSAGE",
      description = "The message file, or - for standard input (the default).")
  String message = "-";

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description = "Check signature expiry (x=) as of this time, in seconds since 1970.")
  Long now;

  @Option(
      names = "--max-signatures",
      paramLabel = "N",
      description = "Signatures to evaluate at most (default: ${DEFAULT-VALUE}).")
  int maxSignatures = DkimVerifier.DEFAULT_MAX_SIGNATURES;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    if (maxSignatures < 1) {
      throw new InputException("--max-signatures must be at least 1: " + maxSignatures);
    }
    DkimVerifier.Builder builder =
        DkimVerifier.builder(dns.resolver()).maxSignatures(maxSignatures);
    if (now != null) {
      if (now < 0) {
        throw new InputException("--now must be seconds since 1970, not " + now);
      }
      builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
    }
    DkimVerifier verifier = builder.build();
    List<DkimOutcome> outcomes;
    try (InputStream in = new CrlfInputStream(MessageInput.open(message))) {
      outcomes = verifier.verify(in).toCompletableFuture().join();
    } catch (IOException e) {
      throw new InputException("cannot read " + message + ": " + e.getMessage(), e);
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw new InputException("cannot read " + message + ": " + io.getCause().getMessage(), io);
      }
      throw e;
    }
    DkimResult result = DkimResult.summarize(outcomes);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("result", result.keyword());
      List<Map<String, Object>> signatures = new ArrayList<>();
      for (DkimOutcome o : outcomes) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("result", o.result().keyword());
        s.put("domain", o.domain().orElse(""));
        s.put("selector", o.selector().orElse(""));
        s.put("algorithm", o.algorithm().orElse(""));
        s.put("reason", o.reason());
        s.put("identity", o.identity().orElse(""));
        s.put("keyBits", o.keyBits());
        if (o.bodyLengthLimit().isPresent()) {
          s.put("bodyLength", o.bodyLengthLimit().getAsLong());
        }
        s.put("testing", o.testing());
        String b = o.signatureData().orElse("");
        s.put("b", b.length() > 8 ? b.substring(0, 8) : b);
        signatures.add(s);
      }
      object.put("signatures", signatures);
      out.println(Json.write(object));
    } else {
      if (outcomes.isEmpty()) {
        out.println("no DKIM-Signature header field");
      }
      int index = 1;
      for (DkimOutcome o : outcomes) {
        StringBuilder line = new StringBuilder();
        line.append("signature ").append(index++).append(": ").append(o.result().keyword());
        line.append(" (d=").append(o.domain().orElse(""));
        line.append(" s=").append(o.selector().orElse(""));
        line.append(" a=").append(o.algorithm().orElse(""));
        if (o.keyBits() > 0) {
          line.append(", ").append(o.keyBits()).append("-bit key");
        }
        line.append("): ").append(o.reason());
        out.println(line);
      }
      out.println("result: " + result.keyword());
    }
    out.flush();
    return switch (result) {
      case PASS -> ExitCodes.PASS;
      case TEMPERROR -> ExitCodes.TEMPFAIL;
      default -> ExitCodes.NOT_PASS;
    };
  }
}
