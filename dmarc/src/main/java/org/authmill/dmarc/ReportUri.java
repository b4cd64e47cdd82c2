package org.authmill.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.authmill.dns.DomainName;

/**
 * A DMARC reporting URI from a {@code rua} or {@code ruf} tag (RFC 9989 §4.6 and §4.8: an RFC 3986
 * URI, optionally followed by the obsolete {@code !size} suffix, which is kept but not used).
 *
 * @param uri the URI as written, without any size suffix
 * @param sizeLimit the obsolete size suffix without the {@code !} (such as {@code 10m}), if any
 */
public record ReportUri(String uri, Optional<String> sizeLimit) {
  private static final Pattern SIZE = Pattern.compile("[0-9]+[kmgtKMGT]?");
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  public ReportUri {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(sizeLimit, "sizeLimit");
    if (!isUri(uri)) {
      throw new IllegalArgumentException("not a reporting URI: " + uri);
    }
    if (sizeLimit.isPresent() && !SIZE.matcher(sizeLimit.get()).matches()) {
      throw new IllegalArgumentException("not a report size: " + sizeLimit.get());
    }
  }

  /**
   * Parses one list element, such as {@code mailto:dmarc@example.com!10m}, or returns empty when it
   * is not an absolute URI (RFC 3986 §4.3), or a {@code mailto:} URI without an address domain.
   */
  public static Optional<ReportUri> parse(String text) {
    String uri = text;
    Optional<String> size = Optional.empty();
    int bang = text.lastIndexOf('!');
    if (bang >= 0) {
      String suffix = text.substring(bang + 1);
      if (!SIZE.matcher(suffix).matches()) {
        return Optional.empty();
      }
      uri = text.substring(0, bang);
      size = Optional.of(suffix);
    }
    return isUri(uri) ? Optional.of(new ReportUri(uri, size)) : Optional.empty();
  }

  private static boolean isUri(String uri) {
    int colon = uri.indexOf(':');
    if (colon <= 0
        || colon == uri.length() - 1
        || !SCHEME.matcher(uri.substring(0, colon)).matches()
        || uri.indexOf('!') >= 0
        || uri.indexOf(',') >= 0) {
      return false;
    }
    try {
      if (!new URI(uri).isAbsolute()) {
        return false;
      }
    } catch (URISyntaxException e) {
      return false;
    }
    return !scheme(uri).equals("mailto") || mailtoDomainOf(uri).isPresent();
  }

  /** The scheme in lower case, such as {@code mailto}. */
  public String scheme() {
    return scheme(uri);
  }

  /**
   * For a {@code mailto:} URI, the domain of the address (lower case, A-labels), which is where RFC
   * 9990 §3 looks for the authorization of external destinations.
   */
  public Optional<String> mailtoDomain() {
    return scheme().equals("mailto") ? mailtoDomainOf(uri) : Optional.empty();
  }

  @Override
  public String toString() {
    return sizeLimit.map(s -> uri + "!" + s).orElse(uri);
  }

  private static String scheme(String uri) {
    return uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT);
  }

  private static Optional<String> mailtoDomainOf(String uri) {
    String address;
    try {
      address = new URI(uri).getSchemeSpecificPart();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (address == null) {
      return Optional.empty();
    }
    int query = address.indexOf('?');
    if (query >= 0) {
      address = address.substring(0, query);
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return Optional.empty();
    }
    return DomainName.parse(address.substring(at + 1)).value().map(d -> d.toLowerCase().toString());
  }
}
