/**
 * Asynchronous DNS for email authentication.
 *
 * <p>SPF (RFC 7208 §4.4, §5), DKIM (RFC 6376 §3.6.2) and DMARC (RFC 9989 §4.10) each give a
 * different verdict for "the name does not exist", "the name has no records of this type" and "the
 * server did not answer", so every lookup returns a {@link org.authmill.dns.DnsAnswer} that keeps
 * those apart, and never throws for a DNS outcome.
 *
 * <p>{@link org.authmill.dns.DnsResolver} is the one interface the protocol modules use. Its
 * implementations: {@link org.authmill.dns.DnsjavaResolver} (the network, via dnsjava), {@link
 * org.authmill.dns.CachingResolver} (a Caffeine cache in front of any resolver, honouring TTLs and
 * RFC 2308 negative caching) and {@link org.authmill.dns.ZoneResolver} (answers from an RFC 1035
 * master file, for tests and the command line's {@code --zone}).
 *
 * <p>{@link org.authmill.dns.DomainName} is the one domain-name type of the toolkit (A-labels by
 * {@link org.authmill.dns.Idna}, labels, {@code isAtOrBelow}); {@link org.authmill.dns.ParseResult}
 * is the one shape of a parser's answer, here and in the engines above.
 */
package org.authmill.dns;
