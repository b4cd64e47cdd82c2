package org.authmill.keys;

import java.net.InetSocketAddress;

/** Parses {@code HOST}, {@code HOST:PORT} and {@code [IPV6]:PORT} into a socket address. */
final class HostPort {
  private HostPort() {}

  /** The address, port {@code defaultPort} when none is given; names the bad value otherwise. */
  static InetSocketAddress parse(String text, int defaultPort) {
    String host = text.strip();
    int port = defaultPort;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("bad address " + text + ": missing ]");
      }
      String rest = host.substring(end + 1);
      host = host.substring(1, end);
      if (rest.startsWith(":")) {
        port = port(text, rest.substring(1));
      } else if (!rest.isEmpty()) {
        throw new IllegalArgumentException("bad address " + text);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = port(text, host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("bad address " + text + ": no host");
    }
    return new InetSocketAddress(host, port);
  }

  private static int port(String text, String digits) {
    try {
      int port = Integer.parseInt(digits);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in " + text + ": expected 1 to 65535");
    }
  }
}
