package org.authmill.server;

import java.util.Objects;

/** A TCP address as {@code HOST:PORT} or {@code [IPV6]:PORT}, for the metrics endpoint. */
public record HostPort(String host, int port) {
  /** Validates. */
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
  }

  /**
   * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HostPort parse(String text) {
    String t = text.strip();
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(text + ": expected [ADDRESS]:PORT");
      }
      return new HostPort(
          t.substring(1, close), ListenAddress.parsePort(text, t.substring(close + 2)));
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || t.indexOf(':') != colon) {
      throw new IllegalArgumentException(text + ": expected HOST:PORT");
    }
    return new HostPort(
        t.substring(0, colon), ListenAddress.parsePort(text, t.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
