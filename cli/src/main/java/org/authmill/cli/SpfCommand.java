package org.authmill.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.spf.ReceivedSpf;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill spf --ip IP --mail-from ADDR [--helo NAME]}: the SPF check of RFC 7208 for one
 * client, sender and HELO name, as a receiver would run it.
 */
@Command(
    name = "spf",
    mixinStandardHelpOptions = true,
    description = {
      "Check SPF (RFC 7208): may the client IP send mail as the MAIL FROM (or HELO) domain?",
      "An empty --mail-from \"\" is the null reverse-path, checked as postmaster@HELO.",
      "Exit status: 0 pass, 1 any other result, 2 bad input, 75 temperror."
    })
final class SpfCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin EnvelopeOptions envelope;

  @Option(
      names = "--identity",
      paramLabel = "ID",
      defaultValue = "mailfrom",
      description = "Identity to check: mailfrom (default) or helo (RFC 7208 §2.3).")
  String identity;

  @Option(
      names = "--receiver",
      paramLabel = "NAME",
      description = "This host's name, for the %%{r} macro and Received-SPF (default: unknown).")
  String receiver;

  @Option(
      names = "--now",
      paramLabel = "TIME",
      description = "Check as of this time (epoch seconds or ISO-8601), for the %%{t} macro.")
  String now;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    InetAddress address = envelope.client();
    String helo = envelope.helo();
    boolean heloIdentity =
        switch (identity.toLowerCase(Locale.ROOT)) {
          case "mailfrom" -> false;
          case "helo" -> true;
          default -> throw new InputException("--identity must be mailfrom or helo: " + identity);
        };
    String sender = envelope.sender();
    if (heloIdentity && helo.isEmpty()) {
      throw new InputException("--identity helo needs --helo NAME");
    }
    envelope.requireHeloForNullSender();
    SpfVerifier.Builder builder = SpfVerifier.builder(dns.resolver()).clock(clock());
    if (receiver != null) {
      try {
        builder.receiver(receiver);
      } catch (IllegalArgumentException e) {
        throw new InputException("--receiver " + receiver + ": not a host name", e);
      }
    }
    SpfVerifier verifier = builder.build();
    SpfOutcome outcome =
        (heloIdentity ? verifier.checkHelo(address, helo) : verifier.check(address, sender, helo))
            .toCompletableFuture()
            .join();
    print(outcome);
    return switch (outcome.result()) {
      case PASS -> ExitCodes.PASS;
      case TEMPERROR -> ExitCodes.TEMPFAIL;
      default -> ExitCodes.NOT_PASS;
    };
  }

  private void print(SpfOutcome outcome) {
    PrintWriter out = spec.commandLine().getOut();
    String header = new ReceivedSpf(outcome, receiver == null ? "unknown" : receiver).field();
    if (json) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("result", outcome.result().keyword());
      map.put("domain", outcome.domain());
      map.put("identity", outcome.identity().keyword());
      map.put(outcome.authResultsProperty(), outcome.identityValue());
      map.put("explanation", outcome.explanation().orElse(null));
      map.put("reason", outcome.reason());
      map.put("mechanism", outcome.mechanism().orElse(null));
      map.put("lookups", outcome.lookupsUsed());
      map.put("void_lookups", outcome.voidLookups());
      map.put("received_spf", header);
      out.println(Json.write(map));
      return;
    }
    out.println(
        "spf="
            + outcome.result().keyword()
            + " "
            + outcome.authResultsProperty()
            + "="
            + outcome.identityValue());
    out.println("domain: " + outcome.domain());
    out.println("reason: " + outcome.reason());
    outcome.explanation().ifPresent(e -> out.println("explanation: " + e));
    out.println(
        "lookups: "
            + outcome.lookupsUsed()
            + " of 10 DNS-querying terms, "
            + outcome.voidLookups()
            + " void");
    out.println(header);
    out.flush();
  }

  private Clock clock() {
    return clockAt(now);
  }

  /** The system clock, or a clock fixed at {@code now} (epoch seconds or ISO-8601). */
  static Clock clockAt(String now) {
    if (now == null) {
      return Clock.systemUTC();
    }
    try {
      Instant instant =
          now.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochSecond(Long.parseLong(now))
              : Instant.parse(now);
      return Clock.fixed(instant, ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InputException("--now " + now + ": expected epoch seconds or ISO-8601", e);
    }
  }

  /** An IP address literal; never a host name (no DNS lookup happens here). */
  static InetAddress parseIp(String text) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
    if (v4) {
      for (String part : t.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          v4 = false;
        }
      }
    }
    if (!v4 && !v6) {
      throw new InputException("--ip " + text + ": not an IPv4 or IPv6 address");
    }
    if (t.matches("(.*[:.])?0\\d+(\\..*)?") && t.indexOf('.') >= 0) {
      throw new InputException(
          "--ip "
              + text
              + ": an IPv4 octet with a leading zero is ambiguous (octal or decimal?);"
              + " write it without the zero");
    }
    try {
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      throw new InputException("--ip " + text + ": not an IPv4 or IPv6 address", e);
    }
  }
}
