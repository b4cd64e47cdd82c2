package org.authmill.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.feedback.FeedbackDashboard;
import org.authmill.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill feedback dashboard [--listen 127.0.0.1:8080]}: serves the read-only web page of
 * received reports until stopped. Binds to loopback by default; with {@code --basic-auth-file} (one
 * line {@code user:password}) or the environment variable {@code AUTHMILL_DASHBOARD_AUTH}, every
 * request needs HTTP Basic authentication.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = "Serve a read-only web page of received reports (default 127.0.0.1:8080).")
final class FeedbackDashboardCommand implements Callable<Integer> {
  static final String AUTH_ENV = "AUTHMILL_DASHBOARD_AUTH";

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Address to serve on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--basic-auth-file",
      paramLabel = "FILE",
      description = "A file with one line user:password to require (HTTP Basic).")
  Path basicAuthFile;

  @Option(names = "--no-reverse", description = "Do not look up the sources' reverse names.")
  boolean noReverse;

  @Mixin FeedbackStoreOptions storeOptions;

  @Mixin DnsOptions dns;

  /** The running dashboard, for tests. */
  FeedbackDashboard running;

  @Override
  public Integer call() throws IOException {
    InetSocketAddress address = listenAddress(listen);
    Optional<String> auth = credentials();
    Store store = storeOptions.open();
    FeedbackStoreOptions.feedback(store);
    ReverseNames reverse =
        noReverse ? ReverseNames.none() : new ReverseNames(dns.resolver(), Duration.ofSeconds(2));
    java.util.Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    running =
        FeedbackDashboard.start(
            store, address, auth, ip -> names.computeIfAbsent(ip, reverse::name));
    if (!address.getAddress().isLoopbackAddress() && auth.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "authmill feedback dashboard: warning: listening on "
                  + listen
                  + " without authentication; give --basic-auth-file or "
                  + AUTH_ENV);
    }
    spec.commandLine()
        .getOut()
        .println(
            "authmill feedback dashboard: http://"
                + running.address().getHostString()
                + ":"
                + running.address().getPort()
                + "/");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  store.close();
                }));
    return ExitCodes.PASS;
  }

  /** {@code HOST:PORT} or {@code [IPV6]:PORT}; the host must be an address literal. */
  static InetSocketAddress listenAddress(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new InputException("--listen " + text + ": expected HOST:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InputException("--listen " + text + ": the port is not a number");
    }
    if (port < 0 || port > 65535 || !host.matches("[0-9a-fA-F:.]+|localhost")) {
      throw new InputException("--listen " + text + ": expected an IP address and a port");
    }
    try {
      return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
    } catch (java.net.UnknownHostException e) {
      throw new InputException("--listen " + text + ": " + e.getMessage(), e);
    }
  }

  private Optional<String> credentials() {
    String value = null;
    if (basicAuthFile != null) {
      try {
        value = Files.readString(basicAuthFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new InputException("cannot read --basic-auth-file " + basicAuthFile + ": " + e, e);
      }
    } else if (System.getenv(AUTH_ENV) != null) {
      value = System.getenv(AUTH_ENV).strip();
    }
    if (value == null) {
      return Optional.empty();
    }
    if (value.indexOf(':') <= 0) {
      throw new InputException("basic authentication credentials must be user:password");
    }
    return Optional.of(value);
  }
}
