package org.authmill.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IP address text and matching as SPF needs them: the strict {@code ip4-network} and {@code
 * ip6-network} syntax of RFC 7208 §5.6, CIDR comparison, IPv4-mapped IPv6 addresses treated as IPv4
 * (RFC 7208 §5), and the dot-format and readable forms of the {@code i} and {@code c} macros (RFC
 * 7208 §7.3). Never touches the DNS.
 */
final class Addresses {
  private Addresses() {}

  /** The address as SPF sees it: an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) is IPv4. */
  static InetAddress normalize(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = bytes[i] == 0;
      }
      if (mapped) {
        return fromBytes(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
      }
      if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
        return fromBytes(bytes);
      }
    }
    return address;
  }

  static InetAddress fromBytes(byte[] bytes) {
    try {
      return bytes.length == 16
          ? Inet6Address.getByAddress(null, bytes, -1)
          : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address length " + bytes.length, e);
    }
  }

  /**
   * Parses {@code ip4-network}: four decimal octets without leading zeros (RFC 7208 §5.6), or null.
   */
  static byte[] parseIp4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        value = value * 10 + (c - '0');
      }
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  /**
   * Parses an IPv6 address in the text forms of RFC 4291 §2.2 (hex groups, one {@code ::}, an
   * optional trailing dotted IPv4 address), or returns null. No zone index is accepted.
   */
  static byte[] parseIp6(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return null;
    }
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
    String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
    // RFC 4291 §2.2: a dotted IPv4 part ends the address, so never stands before a "::"
    int[] headGroups = groups(head, doubleColon < 0);
    int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (doubleColon >= 0 ? total > 7 : total != 8) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      out[2 * i] = (byte) (headGroups[i] >> 8);
      out[2 * i + 1] = (byte) headGroups[i];
    }
    int offset = 8 - tailGroups.length;
    for (int i = 0; i < tailGroups.length; i++) {
      out[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
      out[2 * (offset + i) + 1] = (byte) tailGroups[i];
    }
    return out;
  }

  /** The 16-bit groups of a colon-separated run; an IPv4 tail counts as two groups. */
  private static int[] groups(String run, boolean ipv4TailAllowed) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    byte[] v4 = null;
    String last = parts[parts.length - 1];
    if (last.indexOf('.') >= 0) {
      if (!ipv4TailAllowed) {
        return null;
      }
      v4 = parseIp4(last);
      if (v4 == null) {
        return null;
      }
    }
    int hexCount = parts.length - (v4 != null ? 1 : 0);
    int[] out = new int[hexCount + (v4 != null ? 2 : 0)];
    for (int i = 0; i < hexCount; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        int digit =
            c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out[i] = value;
    }
    if (v4 != null) {
      out[hexCount] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
      out[hexCount + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
    }
    return out;
  }

  /** True when the first {@code prefix} bits of two same-length addresses are equal. */
  static boolean matches(byte[] address, byte[] network, int prefix) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  /**
   * The readable form of the {@code c} macro (RFC 7208 §7.3): dotted quad for IPv4, the RFC 5952
   * canonical form (lower case, longest zero run compressed) for IPv6.
   */
  static String readable(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength && j - i >= 2) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }

  /**
   * The {@code i} macro (RFC 7208 §7.3): dotted quad for IPv4; for IPv6 the 32 nibbles in lower
   * case separated by dots, as in the example of RFC 7208 §7.4 and the reverse names of RFC 3596
   * §2.5.
   */
  static String dotted(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return readable(address);
    }
    StringBuilder out = new StringBuilder(63);
    for (byte value : b) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(Character.forDigit((value >> 4) & 0xf, 16))
          .append('.')
          .append(Character.forDigit(value & 0xf, 16));
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  static boolean isIp4(InetAddress address) {
    return address instanceof Inet4Address;
  }
}
