package org.authmill.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.authmill.dns.DomainName;

/**
 * The queries of one DNS Tree Walk (RFC 9989 §4.10), in order.
 *
 * @param start the domain the walk started from
 * @param lookups every query made, the last one being a temporary failure when the walk failed
 */
record WalkResult(String start, List<PolicyLookup> lookups) {
  WalkResult {
    Objects.requireNonNull(start, "start");
    lookups = List.copyOf(lookups);
  }

  /** The query that failed temporarily, when the walk could not complete. */
  Optional<PolicyLookup> failure() {
    return lookups.isEmpty() || lookups.get(lookups.size() - 1).kind() != PolicyLookup.Kind.TEMPFAIL
        ? Optional.empty()
        : Optional.of(lookups.get(lookups.size() - 1));
  }

  /** The valid DMARC Policy Records found, from the longest name to the shortest. */
  List<PolicyLookup> found() {
    return lookups.stream().filter(PolicyLookup::found).toList();
  }

  /** The record found at a domain during this walk. */
  Optional<PolicyLookup> foundAt(String domain) {
    return found().stream().filter(l -> l.domain().equals(domain)).findFirst();
  }

  /**
   * The Organizational Domain (RFC 9989 §4.10.2): going from the longest name to the shortest, the
   * first record with {@code psd=n} names it; a record with {@code psd=y}, other than the start's,
   * makes it the name one label below; otherwise the record with the fewest labels names it; with
   * no record at all, it is the start. Meaningful only when {@link #failure()} is empty.
   */
  String organizationalDomain() {
    List<PolicyLookup> found = found();
    for (PolicyLookup lookup : found) {
      if (lookup.psd() == PsdFlag.NO) {
        return lookup.domain();
      }
      if (lookup.psd() == PsdFlag.YES && !lookup.domain().equals(start)) {
        DomainName below = DomainName.parse(lookup.domain()).value().orElseThrow();
        return DomainName.parse(start)
            .value()
            .orElseThrow()
            .suffix(below.labelCount() + 1)
            .toString();
      }
    }
    return found.isEmpty() ? start : found.get(found.size() - 1).domain();
  }

  /** How the Organizational Domain was chosen, in words. */
  String organizationalDomainBasis() {
    List<PolicyLookup> found = found();
    for (PolicyLookup lookup : found) {
      if (lookup.psd() == PsdFlag.NO) {
        return "psd=n at " + lookup.queryName();
      }
      if (lookup.psd() == PsdFlag.YES && !lookup.domain().equals(start)) {
        return "one label below the public suffix domain " + lookup.domain() + " (psd=y)";
      }
    }
    return found.isEmpty()
        ? "no DMARC record on the tree walk from " + start
        : "the record with the fewest labels, " + found.get(found.size() - 1).queryName();
  }
}
