package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;

/** Validates XML with {@code xmllint --schema} against RFC 9990's own XSD. */
final class XmlLint {
  private XmlLint() {}

  static Path schema() {
    return TestPaths.suite("dmarc/rfc9990/dmarc-xml-0.2.xsd");
  }

  static void assertValid(Path xml) throws Exception {
    Path xmllint = Peers.command("xmllint", "libxml2-utils");
    Process p =
        new ProcessBuilder(
                xmllint.toString(), "--noout", "--schema", schema().toString(), xml.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("xmllint: " + out).isZero();
    assertThat(out).contains("validates");
  }
}
