package org.authmill.server;

import io.vertx.core.net.SocketAddress;
import java.util.Objects;

/**
 * Where the milter listens, in Postfix's notation ({@code smtpd_milters}): {@code inet:HOST:PORT}
 * ({@code inet:[::1]:8891} for IPv6; libmilter's {@code inet:PORT@HOST} is accepted too) or {@code
 * unix:/path/to/socket}.
 *
 * @param host the address or name to bind, for {@code inet}; "" for {@code unix}
 * @param port the TCP port (0: any free port), for {@code inet}
 * @param path the socket file, for {@code unix}; "" for {@code inet}
 */
public record ListenAddress(String host, int port, String path) {
  /** The default: {@code inet:127.0.0.1:8891}, as OpenDKIM's Debian setups use. */
  public static final ListenAddress DEFAULT = new ListenAddress("127.0.0.1", 8891, "");

  /** Validates: exactly one of host and path. */
  public ListenAddress {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    if (host.isEmpty() == path.isEmpty()) {
      throw new IllegalArgumentException("a listen address is inet (host and port) or unix (path)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
  }

  /**
   * Parses {@code inet:HOST:PORT}, {@code inet:[V6]:PORT}, {@code inet6:...}, {@code
   * inet:PORT@HOST}, {@code unix:/PATH} or {@code local:/PATH}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ListenAddress parse(String text) {
    String t = text.strip();
    if (t.startsWith("unix:") || t.startsWith("local:")) {
      String path = t.substring(t.indexOf(':') + 1);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "listen address " + text + ": the socket path must be absolute");
      }
      return new ListenAddress("", 0, path);
    }
    String rest;
    if (t.startsWith("inet:")) {
      rest = t.substring(5);
    } else if (t.startsWith("inet6:")) {
      rest = t.substring(6);
    } else {
      throw new IllegalArgumentException(
          "listen address " + text + ": expected inet:HOST:PORT or unix:/PATH");
    }
    String host;
    String port;
    int at = rest.indexOf('@');
    if (at >= 0) {
      port = rest.substring(0, at);
      host = rest.substring(at + 1);
    } else if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(
            "listen address " + text + ": expected inet:[ADDRESS]:PORT");
      }
      host = rest.substring(1, close);
      port = rest.substring(close + 2);
    } else {
      int colon = rest.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("listen address " + text + ": expected inet:HOST:PORT");
      }
      host = rest.substring(0, colon);
      port = rest.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("listen address " + text + ": no host");
    }
    return new ListenAddress(host, parsePort(text, port), "");
  }

  static int parsePort(String text, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + ": port must be a number from 0 to 65535", e);
    }
  }

  /** True for a Unix-domain socket. */
  public boolean isUnix() {
    return !path.isEmpty();
  }

  /** The Vert.x address to bind. */
  public SocketAddress socketAddress() {
    return isUnix()
        ? SocketAddress.domainSocketAddress(path)
        : SocketAddress.inetSocketAddress(port, host);
  }

  /** The address in Postfix's notation, as {@code smtpd_milters} takes it. */
  @Override
  public String toString() {
    if (isUnix()) {
      return "unix:" + path;
    }
    return "inet:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
