package org.authmill.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A network in CIDR notation (RFC 4632 §3.1; RFC 4291 §2.3 for IPv6), such as {@code 192.0.2.0/24}
 * or {@code 2001:db8::/32}; a bare address is a single host. Host bits are cleared.
 */
public record Cidr(InetAddress network, int prefix) {
  /** Validates and clears host bits. */
  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix length must be 0 to " + bits + ": " + prefix);
    }
    byte[] a = network.getAddress();
    mask(a, prefix);
    try {
      network = InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses {@code ADDRESS/PREFIX} or {@code ADDRESS}; only literal addresses, never names.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    boolean literal =
        address.indexOf(':') >= 0
            || (!address.isEmpty()
                && address.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                && address.chars().filter(c -> c == '.').count() == 3);
    if (!literal) {
      throw new IllegalArgumentException(
          "network " + text + ": expected ADDRESS/PREFIX with a literal IP address");
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("network " + text + ": not an IP address", e);
    }
    int bits = network.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "network " + text + ": prefix length is not a number", e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException(
            "network " + text + ": prefix length must be 0 to " + bits);
      }
    }
    return new Cidr(network, prefix);
  }

  /** True when the address is in this network (an IPv4 address never matches an IPv6 network). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    mask(a, prefix);
    return Arrays.equals(a, n);
  }

  private static void mask(byte[] a, int prefix) {
    for (int i = 0; i < a.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      a[i] &= (byte) (0xFF << (8 - keep));
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
