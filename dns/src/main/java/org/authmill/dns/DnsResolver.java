package org.authmill.dns;

import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/**
 * Looks up DNS records asynchronously (RFC 1034, RFC 1035).
 *
 * <p>Every outcome of a lookup, including NXDOMAIN, NODATA, a timeout or a server failure, comes
 * back as a {@link DnsAnswer}; the returned stage completes exceptionally only on misuse or a bug.
 * Implementations are thread-safe. Names may be given with or without the trailing dot and in any
 * case; a name that cannot exist in the DNS (an empty label, a label over 63 octets, a name over
 * 255 octets) is answered with {@link DnsAnswer.NxDomain}.
 */
public interface DnsResolver {

  /** Looks up the records of one type at a name, following CNAMEs. */
  <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type);

  /**
   * TXT records, each one's character-strings joined with nothing between them (RFC 7208 §3.3, RFC
   * 6376 §3.6.2.2).
   */
  default CompletionStage<DnsAnswer<String>> txt(String name) {
    return lookup(name, RecordType.TXT);
  }

  /** IPv4 addresses (A records). */
  default CompletionStage<DnsAnswer<InetAddress>> a(String name) {
    return lookup(name, RecordType.A);
  }

  /** IPv6 addresses (AAAA records). */
  default CompletionStage<DnsAnswer<InetAddress>> aaaa(String name) {
    return lookup(name, RecordType.AAAA);
  }

  /** Mail exchangers (MX records). */
  default CompletionStage<DnsAnswer<MxRecord>> mx(String name) {
    return lookup(name, RecordType.MX);
  }

  /** Names that the reverse-mapping name of an address points to (PTR records, RFC 1035 §3.5). */
  default CompletionStage<DnsAnswer<String>> ptr(InetAddress address) {
    return lookup(DomainName.reverse(address).toString(), RecordType.PTR);
  }
}
