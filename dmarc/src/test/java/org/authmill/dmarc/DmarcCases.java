package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.authmill.dns.DnsResolver;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;

/** The project's own DMARC cases (testdata/dmarc/cases.yaml), runnable against any resolver. */
public final class DmarcCases {
  private static PublicSuffixList psl;

  /** One case of cases.yaml. */
  public record Case(
      String name,
      String message,
      DmarcMode mode,
      AuthorDomainPolicy authorPolicy,
      Optional<SpfCheck> spf,
      List<DkimCheck> dkim,
      JsonNode expect) {}

  private DmarcCases() {}

  public static List<Case> load() {
    try {
      JsonNode root =
          new ObjectMapper(new YAMLFactory())
              .readTree(TestPaths.testdata("dmarc/cases.yaml").toFile());
      List<Case> cases = new ArrayList<>();
      for (JsonNode c : root) {
        Optional<SpfCheck> spf =
            c.has("spf")
                ? Optional.of(
                    new SpfCheck(
                        c.get("spf").get("domain").asText(), c.get("spf").get("result").asText()))
                : Optional.empty();
        List<DkimCheck> dkim = new ArrayList<>();
        if (c.has("dkim")) {
          for (JsonNode d : c.get("dkim")) {
            dkim.add(
                new DkimCheck(
                    d.get("domain").asText(),
                    d.get("selector").asText(),
                    d.get("result").asText()));
          }
        }
        cases.add(
            new Case(
                c.get("name").asText(),
                c.get("message").asText(),
                c.has("mode")
                    ? DmarcMode.valueOf(c.get("mode").asText().toUpperCase())
                    : DmarcMode.RFC9989,
                c.has("author_policy")
                    ? AuthorDomainPolicy.valueOf(c.get("author_policy").asText().toUpperCase())
                    : AuthorDomainPolicy.EVALUATE_EACH,
                spf,
                dkim,
                c.get("expect")));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String zoneText() {
    try {
      return Files.readString(TestPaths.testdata("dmarc/zone.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a case through an evaluator over the resolver. */
  public static DmarcOutcome run(Case c, DnsResolver resolver) {
    DmarcEvaluator.Builder builder =
        DmarcEvaluator.builder(resolver)
            .mode(c.mode())
            .authorDomainPolicy(c.authorPolicy())
            .random(new SplittableRandom(42));
    if (c.mode() == DmarcMode.RFC7489) {
      builder.publicSuffixList(publicSuffixList());
    }
    AuthorDomains authors;
    try {
      authors =
          AuthorDomainExtractor.withDefaults()
              .fromMessage(Files.readAllBytes(TestPaths.testdata("dmarc/messages/" + c.message())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return builder.build().evaluate(authors, c.spf(), c.dkim()).toCompletableFuture().join();
  }

  static synchronized PublicSuffixList publicSuffixList() {
    if (psl == null) {
      try {
        psl = PublicSuffixList.fromFile(TestPaths.suite("psl/public_suffix_list.dat"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return psl;
  }

  /** Asserts every expectation of a case against an outcome. */
  static void check(Case c, DmarcOutcome outcome) {
    JsonNode expect = c.expect();
    String context = c.name() + ": " + outcome.reason();
    Map<String, Object> json = outcome.toJson();
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode want = e.getValue();
      switch (e.getKey()) {
        case "alignment" -> {
          List<String> got =
              outcome
                  .deciding()
                  .map(d -> d.alignments().stream().map(a -> a.alignment().toString()).toList())
                  .orElse(List.of());
          List<String> wanted = new ArrayList<>();
          want.forEach(n -> wanted.add(n.asText()));
          assertThat(got).as(context).isEqualTo(wanted);
        }
        case "queries" -> {
          List<String> wanted = new ArrayList<>();
          want.forEach(n -> wanted.add(n.asText()));
          assertThat(outcome.dnsQueries()).as(context).isEqualTo(wanted);
        }
        case "testing" -> assertThat(json.get("testing")).as(context).isEqualTo(want.asBoolean());
        case "result",
            "policy",
            "policy_tag",
            "disposition",
            "domain",
            "policy_domain",
            "organizational_domain" -> {
          Object got = json.get(e.getKey());
          if (want.isNull()) {
            assertThat(got).as(context + " [" + e.getKey() + "]").isNull();
          } else {
            assertThat(got).as(context + " [" + e.getKey() + "]").isEqualTo(want.asText());
          }
        }
        default ->
            throw new IllegalArgumentException(c.name() + ": unknown expectation " + e.getKey());
      }
    }
  }

  static Stream<DynamicTest> tests(Function<Case, DmarcOutcome> runner) {
    return load().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, runner.apply(c))));
  }
}
