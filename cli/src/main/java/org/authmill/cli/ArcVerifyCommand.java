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
import org.authmill.arc.ArcCv;
import org.authmill.arc.ArcHop;
import org.authmill.arc.ArcOutcome;
import org.authmill.arc.ArcVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill arc verify}: verifies a message's ARC chain (RFC 8617 §5.2) and prints the chain
 * status, the reason, the number of sets, the oldest passing instance and the sealers; with {@code
 * --json} one object {@code {"cv", "reason", "instances", "oldest_pass", "sealers"}}. Exit 0 for
 * pass, 1 otherwise, 2 for bad input.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the ARC chain of a message (RFC 8617 §5.2).",
      "Exit status 0 when the chain passes, 1 for none or fail, 2 for bad input."
    })
final class ArcVerifyCommand implements Callable<Integer> {
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
      description = "Check ARC-Message-Signature expiry (x=) as of this time, seconds since 1970.")
  Long now;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    ArcVerifier.Builder builder = ArcVerifier.builder(dns.resolver());
    if (now != null) {
      if (now < 0) {
        throw new InputException("--now must be seconds since 1970, not " + now);
      }
      builder.clock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
    }
    ArcOutcome outcome;
    try (InputStream in = new CrlfInputStream(MessageInput.open(message))) {
      outcome = builder.build().verify(in).toCompletableFuture().join();
    } catch (IOException e) {
      throw new InputException("cannot read " + message + ": " + e.getMessage(), e);
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw new InputException("cannot read " + message + ": " + io.getCause().getMessage(), io);
      }
      throw e;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(outcome)));
    } else {
      out.println("arc: " + outcome.cv().tag() + " (" + outcome.reason() + ")");
      for (ArcHop hop : outcome.hops()) {
        out.println(
            "set "
                + hop.instance()
                + ": d="
                + hop.domain()
                + " s="
                + hop.selector()
                + " cv="
                + hop.cv().tag()
                + "; "
                + hop.resultsText());
      }
      if (outcome.cv() == ArcCv.PASS) {
        out.println("oldest pass: " + outcome.oldestPass());
      }
    }
    return outcome.cv() == ArcCv.PASS ? ExitCodes.PASS : ExitCodes.NOT_PASS;
  }

  /** The JSON object of an outcome (also used by other commands that report ARC). */
  static Map<String, Object> toJson(ArcOutcome outcome) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("cv", outcome.cv().tag());
    object.put("reason", outcome.reason());
    object.put("instances", outcome.instances());
    object.put("oldest_pass", outcome.oldestPass());
    List<Map<String, Object>> sealers = new ArrayList<>();
    for (ArcHop hop : outcome.hops()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("instance", hop.instance());
      s.put("domain", hop.domain());
      s.put("selector", hop.selector());
      s.put("cv", hop.cv().tag());
      s.put("authserv_id", hop.authservId().orElse(null));
      s.put("results", hop.resultsText());
      sealers.add(s);
    }
    object.put("sealers", sealers);
    return object;
  }
}
