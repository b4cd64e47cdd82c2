package org.authmill.server;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfResult;

/**
 * A forwarder whose mail a receiver's local policy exempts from the DMARC action (RFC 9989 §5.8
 * lets local policy override the Domain Owner Assessment Policy; RFC 9990 §3.1.6 reports it as
 * {@code trusted_forwarder}): forwarders break SPF and often DKIM, but a site knows the ones it
 * gets mail from. An entry is either a network, matched against the SMTP client's address, or a
 * domain name, matched only when that name is authenticated for the message: SPF passed for it (the
 * MAIL FROM domain, or the HELO name for the null reverse-path) or a DKIM signature with {@code d=}
 * that name verified. A name the client merely claims (HELO, a header) never matches.
 *
 * @param network the client network, for an address entry
 * @param domain the authenticated domain (lower case, no trailing dot), for a name entry
 */
public record TrustedForwarder(Optional<Cidr> network, Optional<String> domain) {
  public TrustedForwarder {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(domain, "domain");
    if (network.isPresent() == domain.isPresent()) {
      throw new IllegalArgumentException("a trusted forwarder is a network or a domain name");
    }
  }

  /**
   * Parses {@code ADDRESS[/PREFIX]} or a domain name.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong
   */
  public static TrustedForwarder parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    if (t.indexOf(':') >= 0 || t.indexOf('/') >= 0 || t.matches("[0-9.\\[\\]]+")) {
      return new TrustedForwarder(Optional.of(Cidr.parse(t)), Optional.empty());
    }
    String d = t.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (!DkimPrimitives.isDomainName(d)) {
      throw new IllegalArgumentException(
          "trusted forwarder '" + text + "': expected ADDRESS[/PREFIX] or a domain name");
    }
    return new TrustedForwarder(Optional.empty(), Optional.of(d));
  }

  /**
   * Why this entry covers a message, or empty: {@code 192.0.2.0/24 client 192.0.2.7}, {@code
   * fwd.example spf=pass} or {@code fwd.example dkim=pass header.d}.
   *
   * @param client the SMTP client's address
   * @param spf the SPF outcome of the message (MAIL FROM, or HELO for the null reverse-path)
   * @param dkim the DKIM outcomes of the message
   */
  public Optional<String> covers(InetAddress client, SpfOutcome spf, List<DkimOutcome> dkim) {
    if (network.isPresent()) {
      return network.get().contains(client)
          ? Optional.of(network.get() + " client " + client.getHostAddress())
          : Optional.empty();
    }
    String name = domain.get();
    if (spf.result() == SpfResult.PASS && name.equals(normalize(spf.domain()))) {
      return Optional.of(name + " spf=pass");
    }
    for (DkimOutcome d : dkim) {
      if (d.passed()
          && d.domain().map(TrustedForwarder::normalize).filter(name::equals).isPresent()) {
        return Optional.of(name + " dkim=pass header.d");
      }
    }
    return Optional.empty();
  }

  /** The first entry that covers a message, and why. */
  public static Optional<String> firstCovering(
      List<TrustedForwarder> entries, InetAddress client, SpfOutcome spf, List<DkimOutcome> dkim) {
    for (TrustedForwarder entry : entries) {
      Optional<String> why = entry.covers(client, spf, dkim);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  private static String normalize(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  @Override
  public String toString() {
    return network.map(Cidr::toString).orElseGet(domain::get);
  }
}
