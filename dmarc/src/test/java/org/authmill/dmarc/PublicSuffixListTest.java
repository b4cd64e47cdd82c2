package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Public Suffix List's own tests (publicsuffix/list tests/tests.txt and tests/test_psl.txt),
 * read in place from the shared suites, against the bundled snapshot of the list.
 */
class PublicSuffixListTest {
  private static final int SUITE_CASES = 78;

  private record PslCase(String input, String expected) {}

  private static PublicSuffixList snapshot() throws IOException {
    return PublicSuffixList.fromFile(TestPaths.suite("psl/public_suffix_list.dat"));
  }

  private static int failures(PublicSuffixList list, List<PslCase> cases, List<String> failed) {
    for (PslCase c : cases) {
      String input = c.input().equals("null") ? null : c.input();
      String expected = c.expected().equals("null") ? null : c.expected();
      Optional<String> got = list.registrableDomain(input);
      if (!got.equals(Optional.ofNullable(expected))) {
        failed.add(c.input() + " -> " + got.orElse("null") + ", expected " + c.expected());
      }
    }
    return failed.size();
  }

  @Test
  void registrableDomain_testsTxt_allPass() throws IOException {
    List<PslCase> cases = new ArrayList<>();
    for (String line : Files.readAllLines(TestPaths.suite("psl/tests.txt"))) {
      if (line.isBlank() || line.startsWith("//")) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      cases.add(new PslCase(parts[0], parts[1]));
    }
    List<String> failed = new ArrayList<>();
    failures(snapshot(), cases, failed);
    assertThat(failed).isEmpty();
    assertThat(cases).hasSize(SUITE_CASES);
  }

  @Test
  void registrableDomain_testPslTxt_allPass() throws IOException {
    Pattern call = Pattern.compile("checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);");
    List<PslCase> cases = new ArrayList<>();
    for (String line : Files.readAllLines(TestPaths.suite("psl/test_psl.txt"))) {
      Matcher m = call.matcher(line);
      if (line.startsWith("//") || !m.matches()) {
        continue;
      }
      cases.add(new PslCase(m.group(1).replace("'", ""), m.group(2).replace("'", "")));
    }
    List<String> failed = new ArrayList<>();
    failures(snapshot(), cases, failed);
    assertThat(failed).isEmpty();
    assertThat(cases).hasSize(SUITE_CASES);
  }

  @Test
  void publicSuffix_wildcardAndException_followListRules() throws IOException {
    PublicSuffixList list = snapshot();
    assertThat(list.publicSuffix("a.b.c.kobe.jp")).contains("c.kobe.jp");
    assertThat(list.publicSuffix("www.city.kobe.jp")).contains("kobe.jp");
    assertThat(list.publicSuffix("example.unlisted")).contains("unlisted");
    assertThat(list.size()).isGreaterThan(9000);
  }

  @Test
  void registrableDomain_publicSuffixItself_isEmpty() {
    PublicSuffixList list = PublicSuffixList.fromText("com\nco.uk\n*.ck\n!www.ck\n");
    assertThat(list.registrableDomain("co.uk")).isEmpty();
    assertThat(list.registrableDomain("shop.example.co.uk")).contains("example.co.uk");
    assertThat(list.registrableDomain("a.b.ck")).contains("a.b.ck");
    assertThat(list.registrableDomain("www.ck")).contains("www.ck");
  }

  @Test
  void fromText_commentsAndTrailingText_ignored() {
    PublicSuffixList list =
        PublicSuffixList.fromText("// ===BEGIN ICANN DOMAINS===\n\nuk   trailing words\n// com\n");
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.registrableDomain("a.example.com")).contains("example.com");
    assertThat(list.registrableDomain("a.example.uk")).contains("example.uk");
  }

  @Test
  void fromFile_largerThanLimit_refusedNamingFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("big.dat");
    Files.writeString(file, "com\n".repeat(100));
    assertThatThrownBy(() -> PublicSuffixList.fromFile(file, 50))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("big.dat");
  }

  @Test
  void fromFile_debianList_readsWhenInstalled() throws IOException {
    Path debian = PublicSuffixList.DEBIAN_PATH;
    if (!Files.exists(debian)) {
      org.authmill.testkit.Peers.missing(
          "the Public Suffix List at " + debian + " (Debian package publicsuffix)");
    }
    PublicSuffixList list = PublicSuffixList.fromFile(debian);
    assertThat(list.registrableDomain("www.example.co.uk")).contains("example.co.uk");
  }
}
