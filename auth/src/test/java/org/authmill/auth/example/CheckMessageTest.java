package org.authmill.auth.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dns.ZoneResolver;
import org.authmill.spf.SpfResult;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's library example ({@link CheckMessage}) as it stands in README.md, run against a zone
 * with a message signed by example.com: real SPF, DKIM and DMARC verdicts.
 */
class CheckMessageTest {
  private static final Path SIGNED = TestPaths.testdata("dkim/edge/ed25519.eml");

  @Test
  void readme_usingTheLibraries_isCheckMessageAsCompiled() throws Exception {
    Path readme = Path.of(System.getProperty("authmill.testdata")).resolveSibling("README.md");
    String source =
        Files.readString(Path.of("src/test/java/org/authmill/auth/example/CheckMessage.java"));
    String example = between(source, "// README begin", "// README end");
    String markdown = Files.readString(readme, StandardCharsets.UTF_8);
    String section = between(markdown, "## Using the libraries", "\n## ");
    String shown = between(section, "```java", "```");
    assertThat(shown)
        .as("the java block of README's \"Using the libraries\" is CheckMessage.java")
        .isEqualTo(example);
  }

  @Test
  void check_signedMessageFromAnAuthorizedAddress_passesSpfDkimAndDmarc() throws Exception {
    Authenticator authenticator = CheckMessage.authenticator(zone());
    AuthOutcome outcome =
        CheckMessage.check(
            authenticator,
            SIGNED,
            InetAddress.getByName("192.0.2.7"),
            "mail.example.com",
            "a@example.com");

    assertThat(outcome.spf().result()).isEqualTo(SpfResult.PASS);
    assertThat(outcome.helo())
        .hasValueSatisfying(h -> assertThat(h.result()).isEqualTo(SpfResult.PASS));
    List<DkimOutcome> dkim = outcome.dkim();
    assertThat(dkim).hasSize(1);
    assertThat(dkim.get(0).result()).isEqualTo(DkimResult.PASS);
    assertThat(dkim.get(0).domain()).isEqualTo("example.com");
    assertThat(outcome.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(outcome.authenticationResults().toFieldValue())
        .startsWith("mx.example.net;")
        .contains("spf=pass smtp.mailfrom=a@example.com")
        .contains("spf=pass smtp.helo=mail.example.com")
        .contains("dkim=pass header.d=example.com header.s=ed header.a=ed25519-sha256")
        .contains("dmarc=pass")
        .contains("header.from=example.com");
  }

  @Test
  void check_alteredMessageFromAnotherAddress_failsSpfDkimAndDmarc(@TempDir Path dir)
      throws Exception {
    String text = Files.readString(SIGNED, StandardCharsets.US_ASCII);
    assertThat(text).contains("an edge case.");
    Path altered = dir.resolve("altered.eml");
    Files.writeString(altered, text.replace("an edge case.", "an altered case."));

    AuthOutcome outcome =
        CheckMessage.check(
            CheckMessage.authenticator(zone()),
            altered,
            InetAddress.getByName("203.0.113.9"),
            "mail.example.com",
            "a@example.com");

    assertThat(outcome.spf().result()).isEqualTo(SpfResult.FAIL);
    assertThat(outcome.dkim())
        .singleElement()
        .satisfies(d -> assertThat(d.result()).isEqualTo(DkimResult.FAIL));
    assertThat(outcome.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(outcome.authenticationResults().toFieldValue())
        .contains("spf=fail")
        .contains("dkim=fail")
        .contains("dmarc=fail");
  }

  private static ZoneResolver zone() throws Exception {
    return ZoneResolver.fromFile(TestPaths.testdata("auth/example.zone"));
  }

  /** The text after the line holding {@code begin} up to the line holding {@code end}. */
  private static String between(String text, String begin, String end) {
    int start = text.indexOf(begin);
    assertThat(start).as("%s is present", begin).isNotNegative();
    int from = text.indexOf('\n', start) + 1;
    int to = text.indexOf(end, from);
    assertThat(to).as("%s is present after %s", end, begin).isNotNegative();
    return text.substring(from, text.lastIndexOf('\n', to - 1) + 1);
  }
}
