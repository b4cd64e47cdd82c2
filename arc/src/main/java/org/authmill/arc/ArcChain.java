package org.authmill.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The ARC sets of a message and the structural checks of RFC 8617 §5.2 step 2 (every field
 * well-formed, exactly one of each header field per instance, instances 1..N without gaps, N at
 * most 50) and the {@code cv=} rules of step 4 (the newest seal does not record {@code fail};
 * instance 1 records {@code none}, later instances {@code pass}).
 */
final class ArcChain {
  /** ARC header fields parsed at most per message: the fields of 50 sets and one more set. */
  static final int MAX_FIELDS = 3 * (ArcTags.MAX_INSTANCE + 1);

  /** How many ARC header fields the message carries. */
  final int fieldCount;

  /** The highest instance among the fields that parsed (0 when none did). */
  final int highestInstance;

  /** How many distinct instances the fields that parsed carry: the ARC sets found. */
  final int sets;

  /** Why the chain is invalid, or null when its structure and cv= values are right. */
  final String problem;

  /** True when the newest ARC-Seal recorded cv=fail (RFC 8617 §5.1: then nobody seals again). */
  final boolean newestSealFailed;

  /** The sets by instance - 1, when the structure is complete (else empty). */
  final List<ArcSealField> seals;

  final List<ArcSignatureField> signatures;
  final List<ArcResultsField> results;

  private ArcChain(
      int fieldCount,
      int highestInstance,
      int sets,
      String problem,
      boolean newestSealFailed,
      List<ArcSealField> seals,
      List<ArcSignatureField> signatures,
      List<ArcResultsField> results) {
    this.fieldCount = fieldCount;
    this.highestInstance = highestInstance;
    this.sets = sets;
    this.problem = problem;
    this.newestSealFailed = newestSealFailed;
    this.seals = seals;
    this.signatures = signatures;
    this.results = results;
  }

  /** The number of complete sets (0 when the structure is broken). */
  int size() {
    return seals.size();
  }

  /** The hops, oldest first, when the structure is complete. */
  List<ArcHop> hops() {
    List<ArcHop> hops = new ArrayList<>(seals.size());
    for (int i = 0; i < seals.size(); i++) {
      hops.add(ArcHop.of(seals.get(i), signatures.get(i), results.get(i)));
    }
    return hops;
  }

  static ArcChain assemble(HeaderList headers) {
    TreeMap<Integer, List<ArcSealField>> seals = new TreeMap<>();
    TreeMap<Integer, List<ArcSignatureField>> signatures = new TreeMap<>();
    TreeMap<Integer, List<ArcResultsField>> results = new TreeMap<>();
    int count = 0;
    int highest = 0;
    String problem = null;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      boolean seal = name.equals(ArcSealField.NAME);
      boolean signature = name.equals(ArcSignatureField.NAME);
      boolean result = name.equals(ArcResultsField.NAME);
      if (!seal && !signature && !result) {
        continue;
      }
      if (++count > MAX_FIELDS) {
        continue; // only counted: the chain already has more sets than RFC 8617 allows
      }
      try {
        int instance;
        if (seal) {
          ArcSealField f = ArcSealField.parse(headers.field(i));
          seals.computeIfAbsent(f.instance(), k -> new ArrayList<>(1)).add(f);
          instance = f.instance();
        } else if (signature) {
          ArcSignatureField f = ArcSignatureField.parse(headers.field(i));
          signatures.computeIfAbsent(f.instance(), k -> new ArrayList<>(1)).add(f);
          instance = f.instance();
        } else {
          ArcResultsField f = ArcResultsField.parse(headers.field(i));
          results.computeIfAbsent(f.instance(), k -> new ArrayList<>(1)).add(f);
          instance = f.instance();
        }
        highest = Math.max(highest, instance);
      } catch (ArcHeaderException e) {
        if (problem == null) {
          problem = e.getMessage();
        }
      }
    }
    if (count == 0) {
      return new ArcChain(0, 0, 0, null, false, List.of(), List.of(), List.of());
    }
    java.util.Set<Integer> instances = new java.util.HashSet<>(seals.keySet());
    instances.addAll(signatures.keySet());
    instances.addAll(results.keySet());
    int sets = instances.size();
    // a sealer that found the chain broken marked it so; nobody seals after it (§5.1.2), even when
    // the chain is broken in other ways too
    boolean newestFailed =
        seals.containsKey(highest)
            && seals.get(highest).stream().anyMatch(f -> f.cv() == ArcCv.FAIL);
    if (count > MAX_FIELDS || highest > ArcTags.MAX_INSTANCE) {
      return broken(
          count,
          highest,
          sets,
          newestFailed,
          "the message has "
              + (count > MAX_FIELDS ? count + " ARC header fields" : "ARC sets up to i=" + highest)
              + ", more than the 50 sets RFC 8617 §4.2.1 allows");
    }
    if (problem != null) {
      return broken(count, highest, sets, newestFailed, problem);
    }
    for (int i = 1; i <= highest; i++) {
      String missing =
          !seals.containsKey(i)
              ? "ARC-Seal"
              : !signatures.containsKey(i)
                  ? "ARC-Message-Signature"
                  : !results.containsKey(i) ? "ARC-Authentication-Results" : null;
      if (missing != null) {
        return broken(
            count,
            highest,
            sets,
            newestFailed,
            "ARC set i="
                + i
                + " has no "
                + missing
                + " (the sets must run from 1 to "
                + highest
                + " with one of each field, RFC 8617 §5.2)");
      }
      String duplicate =
          seals.get(i).size() > 1
              ? "ARC-Seal"
              : signatures.get(i).size() > 1
                  ? "ARC-Message-Signature"
                  : results.get(i).size() > 1 ? "ARC-Authentication-Results" : null;
      if (duplicate != null) {
        return broken(
            count,
            highest,
            sets,
            newestFailed,
            "ARC set i="
                + i
                + " has more than one "
                + duplicate
                + " (RFC 8617 §5.2 step 2: exactly one of each per set)");
      }
    }
    List<ArcSealField> s = new ArrayList<>();
    List<ArcSignatureField> m = new ArrayList<>();
    List<ArcResultsField> r = new ArrayList<>();
    for (int i = 1; i <= highest; i++) {
      s.add(seals.get(i).get(0));
      m.add(signatures.get(i).get(0));
      r.add(results.get(i).get(0));
    }
    ArcSealField newest = s.get(highest - 1);
    String cvProblem = null;
    if (newest.cv() == ArcCv.FAIL) {
      cvProblem =
          "the newest ARC-Seal (i="
              + highest
              + ", d="
              + newest.domain()
              + ") records cv=fail: that sealer found the chain broken (RFC 8617 §5.2 step 4)";
    } else {
      for (int i = highest; i >= 1 && cvProblem == null; i--) {
        ArcCv cv = s.get(i - 1).cv();
        ArcCv expected = i == 1 ? ArcCv.NONE : ArcCv.PASS;
        if (cv != expected) {
          cvProblem =
              "ARC-Seal i="
                  + i
                  + " (d="
                  + s.get(i - 1).domain()
                  + ") records cv="
                  + cv.tag()
                  + " where RFC 8617 §5.2 step 4 needs cv="
                  + expected.tag();
        }
      }
    }
    return new ArcChain(
        count,
        highest,
        highest,
        cvProblem,
        newest.cv() == ArcCv.FAIL,
        List.copyOf(s),
        List.copyOf(m),
        List.copyOf(r));
  }

  private static ArcChain broken(
      int count, int highest, int sets, boolean newestSealFailed, String problem) {
    return new ArcChain(
        count, highest, sets, problem, newestSealFailed, List.of(), List.of(), List.of());
  }
}
