package org.authmill.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.ParseResult;
import org.authmill.server.signing.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill testkey}: fetches the key record at {@code S._domainkey.D} (RFC 6376 §3.6.2) and
 * says whether it is valid and holds the public half of a private key, RSA or Ed25519, as {@code
 * opendkim-testkey} does.
 */
@Command(
    name = "testkey",
    mixinStandardHelpOptions = true,
    description = "Check that the published DKIM key record matches a private key.")
final class TestkeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--domain", required = true, paramLabel = "D", description = "Signing domain.")
  String domain;

  @Option(names = "--selector", required = true, paramLabel = "S", description = "Selector.")
  String selector;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key file.")
  java.nio.file.Path keyFile;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--insecure-key-permissions",
      description = "Accept a key file that group or others can read or write.")
  boolean insecureKeyPermissions;

  @Mixin DnsOptions dns;

  @Override
  public Integer call() {
    DkimPrivateKey key = KeyFiles.read(keyFile, insecureKeyPermissions);
    if (!KeygenCommand.isDomainName(domain) || !KeygenCommand.isDomainName(selector)) {
      throw new InputException("invalid domain or selector: " + selector + "._domainkey." + domain);
    }
    String name = selector + "._domainkey." + domain;
    DnsAnswer<String> answer = dns.resolver().txt(name).toCompletableFuture().join();
    String result;
    String reason;
    int status;
    if (answer instanceof DnsAnswer.TempFailure<String> failure) {
      result = "temperror";
      reason = "lookup of " + name + " failed: " + failure.reason();
      status = ExitCodes.TEMPFAIL;
    } else if (answer.isEmpty()) {
      result = "nokey";
      reason = "no TXT record at " + name;
      status = ExitCodes.NOT_PASS;
    } else {
      result = "mismatch";
      reason = null;
      status = ExitCodes.NOT_PASS;
      for (String text : answer.values()) {
        ParseResult<DkimKeyRecord> parsed = DkimKeyRecord.parse(text);
        if (parsed instanceof ParseResult.Invalid<DkimKeyRecord> invalid) {
          reason =
              reason == null
                  ? "the record at " + name + " is invalid: " + invalid.reason()
                  : reason;
          result = result.equals("mismatch") ? "invalid" : result;
          continue;
        }
        DkimKeyRecord record = parsed.value().orElseThrow();
        if (record.revoked()) {
          result = "revoked";
          reason = "the record at " + name + " is revoked (empty p=)";
        } else if (key.matches(record)) {
          result = "match";
          reason =
              "the record at "
                  + name
                  + " matches the private key ("
                  + key.algorithm().keyType()
                  + ", "
                  + key.bits()
                  + " bits)"
                  + (record.testing() ? "; it is in testing mode (t=y)" : "");
          status = ExitCodes.PASS;
          break;
        } else {
          result = "mismatch";
          reason =
              "the record at "
                  + name
                  + " holds a different key (k="
                  + record.keyType()
                  + ", "
                  + record.keyBits()
                  + " bits) than "
                  + keyFile
                  + " ("
                  + key.algorithm().keyType()
                  + ", "
                  + key.bits()
                  + " bits)";
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("result", result);
      object.put("name", name);
      object.put("reason", reason);
      out.println(Json.write(object));
    } else {
      out.println(
          (status == ExitCodes.PASS ? "key OK: " : "key not OK (" + result + "): ") + reason);
    }
    out.flush();
    return status;
  }
}
