package org.authmill.report;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.authmill.dns.Idna;

/**
 * A report destination taken from a {@code mailto:} URI of a {@code rua} tag: one address and its
 * domain (the "destination host" of RFC 9990 §4), in A-labels and lower case.
 *
 * @param address the address, local part as written, domain lower case
 * @param host the address's domain
 */
public record Destination(String address, String host) {
  /**
   * The destination of a {@code mailto:} URI, or empty for other schemes and for URIs that hold no
   * single valid address.
   */
  public static Optional<Destination> ofUri(String uri) {
    if (uri.length() < 8 || !uri.regionMatches(true, 0, "mailto:", 0, 7)) {
      return Optional.empty();
    }
    String rest = uri.substring(7);
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    String address;
    try {
      address = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1 || address.indexOf(',') >= 0) {
      return Optional.empty();
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c <= ' ' || c == '<' || c == '>' || c == 127) {
        return Optional.empty();
      }
    }
    Optional<String> host = Idna.toAscii(address.substring(at + 1));
    if (host.isEmpty()) {
      return Optional.empty();
    }
    String domain = host.get().toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    return Optional.of(new Destination(address.substring(0, at) + "@" + domain, domain));
  }

  /** True when this destination's host is the domain or below it. */
  public boolean within(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return host.equals(d) || host.endsWith("." + d);
  }
}
