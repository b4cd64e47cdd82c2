package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.authmill.dmarc.DmarcCases;
import org.authmill.dns.ParseResult;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AuthenticationResultsTest {
  private static final int PEER_HEADERS = 20;

  static AuthenticationResults parsed(String value) {
    ParseResult<AuthenticationResults> result = AuthenticationResults.parse(value);
    assertThat(result).as(value).isInstanceOf(ParseResult.Parsed.class);
    return result.value().orElseThrow();
  }

  static String invalid(String value) {
    ParseResult<AuthenticationResults> result = AuthenticationResults.parse(value);
    assertThat(result).as(value).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<AuthenticationResults>) result).reason();
  }

  private static JsonNode peerHeaders() throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .readTree(TestPaths.testdata("dmarc/authres/peer-headers.yaml").toFile());
  }

  @TestFactory
  Stream<DynamicTest> parse_peerFormats_readAsDocumented() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode vector : peerHeaders()) {
      tests.add(
          DynamicTest.dynamicTest(
              vector.get("source").asText(),
              () -> {
                AuthenticationResults ar = parsed(vector.get("header").asText());
                JsonNode expect = vector.get("expect");
                assertThat(ar.authservId()).isEqualTo(expect.get("authserv_id").asText());
                if (expect.has("version")) {
                  assertThat(ar.version()).isEqualTo(OptionalInt.of(expect.get("version").asInt()));
                }
                List<MethodResult> wanted = new ArrayList<>();
                for (JsonNode r : expect.get("results")) {
                  List<ResultProperty> props = new ArrayList<>();
                  for (JsonNode p : r.path("properties")) {
                    String[] name = p.get(0).asText().split("\\.", 2);
                    props.add(new ResultProperty(name[0], name[1], p.get(1).asText()));
                  }
                  wanted.add(
                      new MethodResult(
                          r.get("method").asText(),
                          r.has("method_version")
                              ? OptionalInt.of(r.get("method_version").asInt())
                              : OptionalInt.empty(),
                          r.get("result").asText(),
                          r.has("reason")
                              ? Optional.of(r.get("reason").asText())
                              : Optional.empty(),
                          r.has("comment")
                              ? Optional.of(r.get("comment").asText())
                              : Optional.empty(),
                          props));
                }
                assertThat(ar.results()).isEqualTo(wanted);
                // and authmill writes what it read back to the same values
                assertThat(parsed(ar.toFieldValue())).isEqualTo(ar);
              }));
    }
    return tests.stream();
  }

  /** Runs the python3-authres driver (Debian package python3-authres) with lines on stdin. */
  private static List<JsonNode> pythonAuthres(String mode, List<String> input) throws Exception {
    Path python = Peers.python3Module("authres", "python3-authres");
    Path script = Path.of(AuthenticationResultsTest.class.getResource("authres_peer.py").toURI());
    Process process =
        new ProcessBuilder(python.toString(), script.toString(), mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ObjectMapper json = new ObjectMapper();
    try (var stdin = process.getOutputStream()) {
      for (String line : input) {
        stdin.write((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(json.readTree(line));
      }
    }
    return lines;
  }

  @Test
  void write_everyProjectCase_pythonAuthresReadsSameValues() throws Exception {
    List<AuthenticationResults> written = new ArrayList<>();
    for (DmarcCases.Case c : DmarcCases.load()) {
      written.add(AuthResultClausesTest.fieldFor(c));
    }
    for (JsonNode vector : peerHeaders()) {
      AuthenticationResults peer = parsed(vector.get("header").asText());
      // python authres accepts a quoted pvalue only at the end of a result (its _parse_pvalue
      // looks ahead for ';' or the end), so it drops one followed by another property; and it
      // keeps the backslashes of quoted-pairs in a reason. Skip the vectors that hit either.
      if (peer.results().stream().allMatch(AuthenticationResultsTest::quotedOnlyLast)) {
        written.add(peer);
      }
    }
    assertThat(written).hasSize(DmarcCases.load().size() + PEER_HEADERS - 2);
    List<String> folded = written.stream().map(ar -> ar.fold(78, "\r\n")).toList();
    List<JsonNode> read = pythonAuthres("parse", folded);
    assertThat(read).hasSize(written.size());
    for (int i = 0; i < written.size(); i++) {
      AuthenticationResults ours = written.get(i);
      JsonNode theirs = read.get(i);
      String context = folded.get(i);
      assertThat(theirs.get("authserv_id").asText())
          .as(context)
          .isEqualToIgnoringCase(ours.authservId());
      assertThat(theirs.get("results")).as(context).hasSize(ours.results().size());
      for (int j = 0; j < ours.results().size(); j++) {
        MethodResult r = ours.results().get(j);
        JsonNode t = theirs.get("results").get(j);
        assertThat(t.get("method").asText()).as(context).isEqualTo(r.method());
        assertThat(t.get("result").asText()).as(context).isEqualTo(r.result());
        assertThat(
                t.get("reason").isNull() ? Optional.empty() : Optional.of(t.get("reason").asText()))
            .as(context)
            .isEqualTo(r.reason());
        List<List<String>> props = new ArrayList<>();
        t.get("properties").forEach(p -> props.add(List.of(p.get(0).asText(), p.get(1).asText())));
        assertThat(props)
            .as(context)
            .isEqualTo(r.properties().stream().map(p -> List.of(p.name(), p.value())).toList());
      }
    }
  }

  private static boolean quotedOnlyLast(MethodResult r) {
    if (r.reason().map(t -> t.contains("\"") || t.contains("\\")).orElse(false)) {
      return false;
    }
    List<ResultProperty> props = r.properties();
    for (int i = 0; i < props.size() - 1; i++) {
      if (props.get(i).toString().endsWith("\"")) {
        return false;
      }
    }
    return true;
  }

  @Test
  void parse_writtenByPythonAuthres_sameValues() throws Exception {
    List<JsonNode> written = pythonAuthres("write", List.of());
    assertThat(written).hasSize(4);
    assertThat(parsed(written.get(0).asText()).results())
        .containsExactly(
            MethodResult.of("spf", "pass").with("smtp", "mailfrom", "bounce@example.com"),
            MethodResult.of("spf", "none").with("smtp", "helo", "mail.example.com"));
    assertThat(parsed(written.get(1).asText()).results())
        .containsExactly(
            MethodResult.of("dkim", "pass")
                .withComment("2048-bit rsa key sha256")
                .with("header", "b", "ab/Cd+Ef")
                .with("header", "d", "example.com")
                .with("header", "i", "@example.com")
                .with("header", "a", "rsa-sha256")
                .with("header", "s", "sel1"),
            MethodResult.of("dkim", "fail")
                .withReason("signature verification failed")
                .with("header", "d", "example.net")
                .with("header", "s", "old"));
    assertThat(parsed(written.get(2).asText()).results())
        .containsExactly(
            MethodResult.of("dmarc", "fail")
                .withComment("p=reject dis=reject")
                .with("header", "from", "example.com")
                .with("policy", "dmarc", "reject"));
    AuthenticationResults none = parsed(written.get(3).asText());
    assertThat(none.version()).isEqualTo(OptionalInt.of(1));
    assertThat(none.results()).isEmpty();
  }

  @Test
  void parse_peerFormats_countAsserted() throws IOException {
    assertThat(peerHeaders()).hasSize(PEER_HEADERS);
  }

  @Test
  void write_valuesNeedingQuotes_quoted() {
    AuthenticationResults ar =
        AuthenticationResults.of(
            "mx.example.org",
            List.of(
                MethodResult.of("dkim", "pass")
                    .with("header", "d", "example.com")
                    .with("header", "b", "ab/cd+E=")
                    .with("header", "i", "@example.com"),
                MethodResult.of("spf", "pass").with("smtp", "mailfrom", "user@example.com"),
                MethodResult.of("x-test", "neutral").with("header", "note", "two words")));
    assertThat(ar.toFieldValue())
        .isEqualTo(
            "mx.example.org; dkim=pass header.d=example.com header.b=\"ab/cd+E=\""
                + " header.i=@example.com; spf=pass smtp.mailfrom=user@example.com;"
                + " x-test=neutral header.note=\"two words\"");
    assertThat(parsed(ar.toFieldValue())).isEqualTo(ar);
  }

  @Test
  void write_noResults_isNone() {
    AuthenticationResults ar =
        new AuthenticationResults("mx.example.org", OptionalInt.of(1), List.of());
    assertThat(ar.toFieldValue()).isEqualTo("mx.example.org 1; none");
    assertThat(parsed(ar.toFieldValue())).isEqualTo(ar);
  }

  @Test
  void write_injectionAttempts_neverBreakTheLine() {
    AuthenticationResults ar =
        AuthenticationResults.of(
            "mx.example.org",
            List.of(
                MethodResult.of("dmarc", "fail")
                    .withComment("p=reject)\r\nX-Evil: yes (")
                    .withReason("bad\r\nBcc: victim@example.com\u0000\u2028")
                    .with("header", "from", "evil.example\r\nX-Injected: 1")));
    String value = ar.toFieldValue();
    String folded = ar.fold(78, "\r\n");
    for (String text : List.of(value, folded.replace("\r\n\t", " "))) {
      assertThat(text).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
      assertThat(text.chars().noneMatch(c -> c < 0x20 && c != '\t')).isTrue();
    }
    AuthenticationResults back = parsed(value);
    assertThat(back.results()).hasSize(1);
    assertThat(back.results().get(0).comment()).contains("p=reject)  X-Evil: yes (");
    assertThat(back.results().get(0).property("header.from"))
        .contains("evil.example  X-Injected: 1");
  }

  @Test
  void fold_longResults_linesWithinWidthAndUnfoldToSame() {
    MethodResult dkim =
        MethodResult.of("dkim", "pass")
            .withComment("2048-bit rsa key")
            .with("header", "d", "a-rather-long-signing-domain.example.com")
            .with("header", "s", "selector-2026-11")
            .with("header", "a", "rsa-sha256")
            .with("header", "b", "AbCdEfGh12");
    AuthenticationResults ar =
        AuthenticationResults.of(
            "mx.example.org",
            List.of(
                MethodResult.of("spf", "pass").with("smtp", "mailfrom", "bounce@example.com"),
                dkim,
                MethodResult.of("dmarc", "pass").with("header", "from", "example.com")));
    String field = ar.toHeaderField();
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
    }
    assertThat(field).startsWith("Authentication-Results: mx.example.org;\r\n\tspf=pass");
    assertThat(parsed(field)).isEqualTo(ar);
    assertThat(parsed(ar.fold(40, "\n"))).isEqualTo(ar);
    assertThatThrownBy(() -> ar.fold(10, "\r\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ar.fold(78, "\r")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void write_longCommentAndReason_cutToLimit() {
    AuthenticationResults ar =
        AuthenticationResults.of(
            "mx.example.org",
            List.of(
                MethodResult.of("spf", "fail")
                    .withComment("c".repeat(2000))
                    .withReason("r".repeat(2000))));
    String field = ar.toHeaderField();
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).isLessThan(300);
    }
    assertThat(parsed(field).results().get(0).reason())
        .hasValueSatisfying(r -> assertThat(r).hasSize(256));
  }

  @Test
  void parse_cfwsEverywhere_read() {
    AuthenticationResults ar =
        parsed(
            " (c0) mx.example.org (c1) ; (c2) spf (c3) = (c4) pass (the result) (more)"
                + " smtp (c5) . (c6) mailfrom (c7) = (c8) example.com (c9) ; ");
    assertThat(ar.results())
        .containsExactly(
            MethodResult.of("spf", "pass")
                .withComment("the result")
                .with("smtp", "mailfrom", "example.com"));
  }

  @Test
  void parse_namesLowerCased_valuesKept() {
    AuthenticationResults ar = parsed("MX.Example.ORG; DKIM=Pass Header.D=Example.COM");
    assertThat(ar.authservId()).isEqualTo("MX.Example.ORG");
    assertThat(ar.results().get(0).method()).isEqualTo("dkim");
    assertThat(ar.results().get(0).result()).isEqualTo("pass");
    assertThat(ar.results().get(0).property("header.d")).contains("Example.COM");
  }

  @Test
  void parse_fieldNameIncluded_accepted() {
    assertThat(parsed("authentication-results : mx.example.org; none").results()).isEmpty();
  }

  @Test
  void parse_malformed_invalidWithReason() {
    assertThat(invalid("")).contains("authserv-id");
    assertThat(invalid("mx.example.org spf=pass")).contains("';'");
    assertThat(invalid("mx.example.org; spf")).contains("'='");
    assertThat(invalid("mx.example.org; spf=pass smtp.mailfrom=\"open")).contains("unterminated");
    assertThat(invalid("mx.example.org; spf=pass (open")).contains("unterminated comment");
    assertThat(invalid("mx.example.org; spf=pass junk")).contains("junk");
    assertThat(invalid("mx.example.org; none; spf=pass")).contains("none");
    assertThat(invalid("mx; a=b (" + "(".repeat(100) + ")".repeat(101))).contains("nested");
    assertThat(invalid("x".repeat(AuthenticationResults.MAX_PARSE_LENGTH + 1))).contains("longer");
  }

  @Test
  void claims_caseInsensitiveAndCommentProof() {
    assertThat(AuthenticationResults.claims("mx.example.org; spf=pass", "MX.EXAMPLE.ORG")).isTrue();
    assertThat(
            AuthenticationResults.claims(
                " (forged)\r\n\t\"Mx.Example.Org\" 1; none", "mx.example.org"))
        .isTrue();
    assertThat(AuthenticationResults.claims("mx.example.org(comment);dkim=pass", "mx.example.org"))
        .isTrue();
    assertThat(
            AuthenticationResults.claims("mx.example.org; this is ( not valid", "mx.example.org"))
        .isTrue();
    assertThat(
            AuthenticationResults.claims(
                "Authentication-Results: mx.example.org; none", "mx.example.org"))
        .isTrue();
    assertThat(AuthenticationResults.claims("mx.example.org.evil; none", "mx.example.org"))
        .isFalse();
    assertThat(AuthenticationResults.claims("evil.mx.example.org; none", "mx.example.org"))
        .isFalse();
    assertThat(
            AuthenticationResults.claims("other.example; none (mx.example.org)", "mx.example.org"))
        .isFalse();
    assertThat(AuthenticationResults.claims("", "mx.example.org")).isFalse();
    assertThat(AuthenticationResults.claims("mx.example.org; none", " ")).isFalse();
  }

  @Test
  void constructor_badKeywords_rejected() {
    assertThatThrownBy(() -> MethodResult.of("sp f", "pass"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MethodResult.of("spf", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResultProperty("smtp", "mail.from", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthenticationResults.of("\r\n", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_authservIdOfOnlyControlCharacters_invalidNotAnException() {
    // Found by AuthenticationResultsFuzzTest: a quoted authserv-id holding only NUL.
    for (String value : new String[] {"\"\0\"", "\"\u0001\u0002\"; spf=pass", "\" \t \"; none"}) {
      ParseResult<AuthenticationResults> r = AuthenticationResults.parse(value);
      assertThat(r).isInstanceOf(ParseResult.Invalid.class);
      assertThat(((ParseResult.Invalid<AuthenticationResults>) r).reason())
          .contains("no authserv-id");
    }
  }
}
