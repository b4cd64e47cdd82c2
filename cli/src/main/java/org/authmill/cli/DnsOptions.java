package org.authmill.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.dns.ZoneResolver;
import picocli.CommandLine.Option;

/**
 * The DNS options of every subcommand that looks things up: {@code --nameserver HOST[:PORT]}
 * (repeatable), {@code --zone FILE} and {@code --dns-timeout SECONDS}.
 */
public final class DnsOptions {

  @Option(
      names = "--nameserver",
      paramLabel = "HOST[:PORT]",
      description =
          "Name server to ask (repeatable; IPv6 as [ADDR]:PORT). Default: the system's resolvers.")
  List<String> nameservers = new ArrayList<>();

  @Option(
      names = "--zone",
      paramLabel = "FILE",
      description = "Answer from this RFC 1035 master file instead of the network.")
  Path zone;

  @Option(
      names = "--dns-timeout",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds to wait for one answer from one server (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  /** The resolver these options describe. */
  public DnsResolver resolver() {
    if (zone != null) {
      if (!nameservers.isEmpty()) {
        throw new InputException("give --zone or --nameserver, not both");
      }
      try {
        return ZoneResolver.fromFile(zone);
      } catch (IOException e) {
        throw new InputException("cannot read zone file " + e.getMessage(), e);
      }
    }
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 60)) {
      throw new InputException("--dns-timeout must be between 0 and 60 seconds: " + timeoutSeconds);
    }
    DnsjavaResolver.Builder builder =
        DnsjavaResolver.builder().timeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
    for (String server : nameservers) {
      builder.nameserver(parseServer(server));
    }
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new InputException(e.getMessage() + "; give --nameserver HOST[:PORT]", e);
    }
  }

  /** Parses {@code HOST}, {@code HOST:PORT}, {@code IPV6}, or {@code [IPV6]:PORT}. */
  static InetSocketAddress parseServer(String text) {
    String host = text;
    int port = 53;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new InputException("--nameserver " + text + ": missing ']'");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InputException("--nameserver " + text + ": expected [ADDRESS]:PORT");
        }
        port = parsePort(text, rest.substring(1));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = parsePort(text, text.substring(text.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw new InputException("--nameserver " + text + ": no host");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new InputException("--nameserver " + text + ": unknown host " + host, e);
    }
  }

  private static int parsePort(String text, String port) {
    try {
      int value = Integer.parseInt(port);
      if (value < 1 || value > 65535) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InputException("--nameserver " + text + ": port must be 1 to 65535", e);
    }
  }
}
