package org.authmill.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one query for a DMARC Policy Record at {@code _dmarc.<domain>} found (RFC 9989 §4.10 steps
 * 1, 2, 5 and 6).
 *
 * @param domain the domain whose {@code _dmarc} name was queried
 * @param kind the outcome
 * @param record the record, for {@link Kind#FOUND}
 * @param detail the DNS answer or the parse notes, in words
 * @param texts every TXT record at the name, DMARC or not
 */
record PolicyLookup(
    String domain, Kind kind, Optional<DmarcRecord> record, String detail, List<String> texts) {
  enum Kind {
    /** Exactly one TXT record starting with v=DMARC1. */
    FOUND,
    /** NXDOMAIN, NODATA, or no TXT record starting with v=DMARC1. */
    ABSENT,
    /** More than one record starting with v=DMARC1: all are discarded (RFC 9989 §4.10 step 2). */
    MULTIPLE,
    /** The query failed temporarily. */
    TEMPFAIL
  }

  PolicyLookup {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(detail, "detail");
    texts = List.copyOf(texts);
    if ((kind == Kind.FOUND) != record.isPresent()) {
      throw new IllegalArgumentException("a record goes with FOUND and only with FOUND");
    }
  }

  /** The name that was queried. */
  String queryName() {
    return "_dmarc." + domain;
  }

  boolean found() {
    return kind == Kind.FOUND;
  }

  /** The record's psd tag, for a found record. */
  PsdFlag psd() {
    return record.map(DmarcRecord::psd).orElse(PsdFlag.UNKNOWN);
  }
}
