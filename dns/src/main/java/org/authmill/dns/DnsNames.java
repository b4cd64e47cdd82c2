package org.authmill.dns;

import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

/** Conversions between the names callers give and dnsjava's {@link Name}. */
final class DnsNames {
  private DnsNames() {}

  /**
   * The absolute name for text such as {@code example.com} or {@code example.com.}, or empty when
   * no such name can exist in the DNS (RFC 1035 §2.3.4: labels of 1 to 63 octets, at most 255
   * octets in all).
   */
  static Optional<Name> parse(String text) {
    if (text.isEmpty() || text.startsWith(".") || text.contains("..")) {
      return text.equals(".") ? Optional.of(Name.root) : Optional.empty();
    }
    try {
      return Optional.of(Name.fromString(text, Name.root));
    } catch (TextParseException e) {
      return Optional.empty();
    }
  }

  /** The name as text without the trailing dot ({@code .} for the root). */
  static String toText(Name name) {
    return name.equals(Name.root) ? "." : name.toString(true);
  }

  /** The reverse-mapping name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
  static String reverseName(InetAddress address) {
    return toText(ReverseMap.fromAddress(address));
  }
}
