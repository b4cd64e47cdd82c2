package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DomainName;

/** The DNS Tree Walk of RFC 9989 §4.10 and the choice of the Organizational Domain of §4.10.2. */
final class TreeWalk {
  private TreeWalk() {}

  /**
   * The names a walk from {@code start} queries, in order (RFC 9989 §4.10 steps 3, 4 and 7): the
   * start, then, if it has fewer labels than the query limit, its parent, else its right-most
   * {@code limit - 1} labels, then each parent down to one label. So at most {@code limit} names.
   */
  static List<String> targets(String start, int queryLimit) {
    DomainName name = DomainName.parse(start).value().orElseThrow();
    List<String> targets = new ArrayList<>();
    targets.add(start);
    int labels = name.labelCount();
    int next = labels < queryLimit ? labels - 1 : queryLimit - 1;
    for (int count = next; count >= 1; count--) {
      targets.add(name.suffix(count).toString());
    }
    return targets;
  }

  /**
   * Walks from {@code start} (a normalized name), stopping at a record with {@code psd=y} or {@code
   * psd=n} (steps 2 and 6), at the last label, or at the first query that fails temporarily.
   */
  static CompletionStage<WalkResult> walk(RecordFetcher fetcher, String start, int queryLimit) {
    List<String> targets = targets(start, queryLimit);
    return step(fetcher, start, targets, 0, new ArrayList<>());
  }

  private static CompletionStage<WalkResult> step(
      RecordFetcher fetcher,
      String start,
      List<String> targets,
      int index,
      List<PolicyLookup> lookups) {
    if (index >= targets.size()) {
      return CompletableFuture.completedFuture(new WalkResult(start, lookups));
    }
    return fetcher
        .lookup(targets.get(index))
        .thenCompose(
            lookup -> {
              lookups.add(lookup);
              if (lookup.kind() == PolicyLookup.Kind.TEMPFAIL
                  || (lookup.found() && lookup.psd().stopsTreeWalk())) {
                return CompletableFuture.completedFuture(new WalkResult(start, lookups));
              }
              return step(fetcher, start, targets, index + 1, lookups);
            });
  }
}
