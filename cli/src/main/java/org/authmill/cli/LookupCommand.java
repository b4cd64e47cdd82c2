package org.authmill.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill lookup NAME [--type T]}: shows what authmill's DNS layer answers for a name, as
 * the checks see it (TXT strings joined, NXDOMAIN told from NODATA and from a failure).
 */
@Command(
    name = "lookup",
    mixinStandardHelpOptions = true,
    description = "Look up a name as authmill's checks see it (TXT strings joined).")
final class LookupCommand implements Callable<Integer> {
  private static final Map<String, RecordType<?>> TYPES =
      Map.of(
          "TXT", RecordType.TXT,
          "A", RecordType.A,
          "AAAA", RecordType.AAAA,
          "MX", RecordType.MX,
          "PTR", RecordType.PTR);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The name to look up.")
  String name;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "TXT",
      description = "TXT, A, AAAA, MX or PTR (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    RecordType<?> recordType = TYPES.get(type.toUpperCase(Locale.ROOT));
    if (recordType == null) {
      throw new InputException("--type " + type + ": expected one of TXT, A, AAAA, MX, PTR");
    }
    DnsAnswer<?> answer = dns.resolver().lookup(name, recordType).toCompletableFuture().join();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("type", recordType.name());
    int status;
    if (answer instanceof DnsAnswer.Records<?> records) {
      out.put("result", "records");
      out.put("ttl", records.ttl().toSeconds());
      out.put("records", records.records().stream().map(LookupCommand::show).toList());
      status = ExitCodes.PASS;
    } else if (answer instanceof DnsAnswer.NxDomain<?>) {
      out.put("result", "nxdomain");
      status = ExitCodes.NOT_PASS;
    } else if (answer instanceof DnsAnswer.NoData<?>) {
      out.put("result", "nodata");
      status = ExitCodes.NOT_PASS;
    } else {
      out.put("result", "tempfail");
      out.put("reason", ((DnsAnswer.TempFailure<?>) answer).reason());
      status = ExitCodes.TEMPFAIL;
    }
    var printer = spec.commandLine().getOut();
    if (json) {
      printer.println(Json.write(out));
    } else if (out.get("records") instanceof List<?> list) {
      list.forEach(printer::println);
    } else {
      printer.println(
          out.get("result") + (out.containsKey("reason") ? ": " + out.get("reason") : ""));
    }
    return status;
  }

  private static String show(Object value) {
    if (value instanceof java.net.InetAddress address) {
      return address.getHostAddress();
    }
    if (value instanceof org.authmill.dns.MxRecord mx) {
      return mx.preference() + " " + mx.exchange();
    }
    return value.toString();
  }
}
