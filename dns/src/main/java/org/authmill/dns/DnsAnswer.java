package org.authmill.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one DNS lookup: records, or one of the three ways of getting none, which SPF, DKIM
 * and DMARC treat differently (RFC 7208 §4.4 and §4.6.4, RFC 6376 §6.1.2, RFC 9989 §4.10).
 *
 * @param <T> the record type's value, see {@link RecordType}
 */
public sealed interface DnsAnswer<T>
    permits DnsAnswer.Records, DnsAnswer.NxDomain, DnsAnswer.NoData, DnsAnswer.TempFailure {

  /** The records of this answer, or an empty list for any answer without records. */
  List<T> values();

  /** True for NXDOMAIN and NODATA: the name was answered, with no records of the type. */
  default boolean isEmpty() {
    return this instanceof NxDomain || this instanceof NoData;
  }

  /**
   * The records of the type, at least one, with the smallest TTL of the RRset.
   *
   * @param records the records, in the order the server gave them
   * @param ttl how long they may be cached
   */
  record Records<T>(List<T> records, Duration ttl) implements DnsAnswer<T> {
    public Records {
      records = List.copyOf(records);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("a Records answer holds at least one record");
      }
      requireTtl(ttl);
    }

    @Override
    public List<T> values() {
      return records;
    }
  }

  /**
   * The name does not exist (RCODE 3, NXDOMAIN).
   *
   * @param ttl how long the answer may be cached (RFC 2308 §5: the SOA's minimum, capped by its
   *     TTL)
   */
  record NxDomain<T>(Duration ttl) implements DnsAnswer<T> {
    public NxDomain {
      requireTtl(ttl);
    }

    @Override
    public List<T> values() {
      return List.of();
    }
  }

  /**
   * The name exists but has no records of the type (NODATA: RCODE 0 with an empty answer).
   *
   * @param ttl how long the answer may be cached (RFC 2308 §5)
   */
  record NoData<T>(Duration ttl) implements DnsAnswer<T> {
    public NoData {
      requireTtl(ttl);
    }

    @Override
    public List<T> values() {
      return List.of();
    }
  }

  /**
   * No usable answer: a timeout, SERVFAIL, REFUSED, a CNAME loop or any other failure that may go
   * away if asked again later.
   *
   * @param reason what went wrong, naming the server, the name and the type where known
   */
  record TempFailure<T>(String reason) implements DnsAnswer<T> {
    public TempFailure {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public List<T> values() {
      return List.of();
    }
  }

  private static void requireTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
  }
}
