package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs {@link SpfVerifier} over the OpenSPF conformance suites, read in place from
 * ../shared/testsuites/spf: every one of the 203 tests of rfc7208-tests.yml must pass; the older
 * rfc4408-tests.yml runs for information, with the tests whose expectations RFC 7208 changed listed
 * and checked.
 */
class SpfVerifierConformanceTest {

  /** The number of tests in rfc7208-tests.yml (SOURCES.md). */
  static final int RFC7208_TESTS = 203;

  /**
   * Tests whose expected explanation is compared without regard to case, with the reason. The suite
   * expects the IPv6 nibbles of {@code %{i}} in upper case, as pyspf writes them; RFC 7208 §7.4
   * shows them in lower case ({@code 1.0.b.c.0.0...ip6._spf.example.com}), as do the reverse names
   * of RFC 3596 §2.5, so authmill writes lower case. DNS names are case-insensitive, so only the
   * explanation text differs.
   */
  static final Map<String, String> CASE_INSENSITIVE_EXPLANATION =
      Map.of(
          "v-macro-ip6",
          "RFC 7208 §7.4 writes %{i} of an IPv6 address with lower-case nibbles; the suite and"
              + " pyspf use upper case");

  /**
   * The rfc4408-tests.yml tests whose expectation differs in rfc7208-tests.yml, each with the RFC
   * 7208 text behind the change. authmill must meet the RFC 7208 expectation of each.
   */
  static final Map<String, String> CHANGED_BY_RFC7208 = changedByRfc7208();

  private static Map<String, String> changedByRfc7208() {
    String txtOnly =
        "RFC 7208 §3.1, §4.4: only TXT records are looked up; the SPF RR type (99) is no longer"
            + " used, so its presence, absence or timeout changes nothing";
    Map<String, String> changed = new LinkedHashMap<>();
    changed.put("txtonly", txtOnly);
    changed.put("spfonly", txtOnly);
    changed.put("spftimeout", txtOnly);
    changed.put("txttimeout", txtOnly + "; a TXT timeout is temperror (§4.4)");
    changed.put("nospftxttimeout", txtOnly + "; a TXT timeout is temperror (§4.4)");
    changed.put("spfoverride", txtOnly);
    changed.put("multispf2", txtOnly);
    changed.put("multitxt1", "RFC 7208 §4.5: more than one v=spf1 TXT record is a permerror");
    String undefined =
        "RFC 7208 §4.3, §4.8, §5/10 leave a target name that cannot be looked up undefined;"
            + " the RFC 7208 suite prefers a no-match (fail) over permerror";
    changed.put("invalid-domain-empty-label", undefined);
    changed.put("invalid-domain-long", undefined);
    changed.put("invalid-domain-long-via-macro", undefined);
    changed.put(
        "exists-dnserr",
        "RFC 7208 §5: a DNS error in a mechanism makes check_host() return temperror");
    changed.put(
        "cidr6-0-ip4", "RFC 7208 §5: an IPv4 client (or IPv4-mapped IPv6) never matches ip6");
    changed.put("cidr6-ip4", "RFC 7208 §5: an IPv4 client (or IPv4-mapped IPv6) never matches ip6");
    changed.put(
        "upper-macro",
        "RFC 7208 §7.3: URL escaping keeps RFC 3986 unreserved characters (~ - _ .); the test's"
            + " local-part now holds them");
    changed.put(
        "mx-limit",
        "RFC 7208 §4.6.4: more than 10 MX names is a permerror (RFC 4408 left it open)");
    return changed;
  }

  /** The number of tests in pyspf-extra/test.yml (SOURCES.md). */
  static final int PYSPF_EXTRA_TESTS = 16;

  /**
   * pyspf-extra/test.yml tests that hold pyspf's own lax or strict modes rather than RFC 7208, with
   * the result RFC 7208 asks for instead and why.
   */
  static final Map<String, String> PYSPF_ONLY =
      Map.of(
          "default-modifier",
          "neutral: RFC 7208 §6 makes default= an unknown modifier, which is ignored; pyspf's lax"
              + " mode reads it as RFC 4408 drafts did",
          "default-modifier-harsh",
          "neutral: as default-modifier; 'ambiguous' is a pyspf strict-mode result, not an RFC"
              + " 7208 result (§2.6)");

  private static SpfOutcome run(SpfSuite.Case test) {
    SpfVerifier verifier =
        SpfVerifier.builder(test.zone())
            .defaultExplanation("DEFAULT")
            .receiver("receiver.example.org")
            .build();
    return verifier
        .check(SuiteZone.address(test.host()), test.mailFrom(), test.helo())
        .toCompletableFuture()
        .join();
  }

  /** Null when the outcome meets the test's expectation, else what differs. */
  private static String mismatch(SpfSuite.Case test, SpfOutcome outcome) {
    if (!test.accepts(outcome.result())) {
      return "expected "
          + test.results()
          + " but got "
          + outcome.result()
          + " ("
          + outcome.reason()
          + ")";
    }
    if (test.explanation() != null) {
      String got = outcome.explanation().orElse(null);
      boolean same =
          CASE_INSENSITIVE_EXPLANATION.containsKey(test.name())
              ? test.explanation().equalsIgnoreCase(got)
              : test.explanation().equals(got);
      if (!same) {
        return "expected explanation '" + test.explanation() + "' but got '" + got + "'";
      }
    }
    return null;
  }

  @TestFactory
  Stream<DynamicTest> rfc7208Suite() {
    List<SpfSuite.Case> cases = SpfSuite.read(TestPaths.suite("spf/rfc7208-tests.yml"));
    List<DynamicTest> tests = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (SpfSuite.Case test : cases) {
      SpfOutcome outcome = run(test);
      String mismatch = mismatch(test, outcome);
      if (mismatch != null) {
        failures.add(test.name() + ": " + mismatch);
      } else if (!test.results().get(0).equals(outcome.result().keyword())) {
        System.out.println(
            "rfc7208 "
                + test.name()
                + ": "
                + outcome.result()
                + " is acceptable; the suite prefers "
                + test.results().get(0));
      }
      tests.add(
          DynamicTest.dynamicTest(
              test.name() + " (" + test.spec() + ")",
              () -> assertThat(mismatch).as(test.scenario() + " / " + test.name()).isNull()));
    }
    int passed = cases.size() - failures.size();
    System.out.println("rfc7208-tests.yml: " + passed + " of " + cases.size() + " pass");
    tests.add(
        DynamicTest.dynamicTest(
            "all " + RFC7208_TESTS + " tests pass",
            () -> {
              assertThat(cases).hasSize(RFC7208_TESTS);
              assertThat(failures).isEmpty();
              assertThat(passed).isEqualTo(RFC7208_TESTS);
            }));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> rfc4408SuiteForInformation() {
    List<SpfSuite.Case> cases = SpfSuite.read(TestPaths.suite("spf/rfc4408-tests.yml"));
    Map<String, SpfSuite.Case> rfc7208 =
        SpfSuite.read(TestPaths.suite("spf/rfc7208-tests.yml")).stream()
            .collect(Collectors.toMap(SpfSuite.Case::name, c -> c, (a, b) -> a));
    List<DynamicTest> tests = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Set<String> changed = new java.util.LinkedHashSet<>();
    for (SpfSuite.Case test : cases) {
      SpfOutcome outcome = run(test);
      String mismatch = mismatch(test, outcome);
      if (mismatch != null) {
        failures.add(test.name());
      }
      SpfSuite.Case now = rfc7208.get(test.name());
      if (now != null
          && (!now.results().equals(test.results())
              || !java.util.Objects.equals(now.explanation(), test.explanation()))) {
        changed.add(test.name());
        System.out.println(
            "rfc4408 "
                + test.name()
                + ": RFC 4408 expected "
                + test.results()
                + ", RFC 7208 expects "
                + now.results()
                + "; authmill gives "
                + outcome.result()
                + " -- "
                + CHANGED_BY_RFC7208.getOrDefault(test.name(), "(reason not listed)"));
      }
      tests.add(
          DynamicTest.dynamicTest(
              test.name() + " (" + test.spec() + ")",
              () -> assertThat(mismatch).as("rfc4408 " + test.name()).isNull()));
    }
    System.out.println(
        "rfc4408-tests.yml: "
            + (cases.size() - failures.size())
            + " of "
            + cases.size()
            + " pass; "
            + changed.size()
            + " expectations changed in rfc7208-tests.yml: "
            + changed);
    tests.add(
        DynamicTest.dynamicTest(
            "the tests RFC 7208 changed are exactly the listed ones",
            () -> assertThat(changed).isEqualTo(CHANGED_BY_RFC7208.keySet())));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> pyspfExtraSuite() {
    List<SpfSuite.Case> cases = SpfSuite.read(TestPaths.suite("spf/pyspf-extra/test.yml"));
    List<DynamicTest> tests = new ArrayList<>();
    int agreed = 0;
    for (SpfSuite.Case test : cases) {
      SpfOutcome outcome = run(test);
      String instead = PYSPF_ONLY.get(test.name());
      String mismatch;
      if (instead != null) {
        String wanted = instead.substring(0, instead.indexOf(':'));
        mismatch =
            outcome.result().keyword().equals(wanted)
                ? null
                : "expected " + wanted + " (" + instead + ") but got " + outcome.result();
        System.out.println(
            "pyspf-extra " + test.name() + ": " + outcome.result() + " -- " + instead);
      } else {
        mismatch = mismatch(test, outcome);
        agreed += mismatch == null ? 1 : 0;
      }
      String m = mismatch;
      tests.add(
          DynamicTest.dynamicTest(
              test.name(), () -> assertThat(m).as("pyspf-extra " + test.name()).isNull()));
    }
    System.out.println(
        "pyspf-extra/test.yml: "
            + agreed
            + " of "
            + cases.size()
            + " as the suite expects, "
            + PYSPF_ONLY.size()
            + " pyspf-only expectations replaced by RFC 7208's");
    tests.add(
        DynamicTest.dynamicTest(
            "all " + PYSPF_EXTRA_TESTS + " tests read",
            () -> assertThat(cases).hasSize(PYSPF_EXTRA_TESTS)));
    return tests.stream();
  }
}
