package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module's public types are the ones a user needs; the rest stays package-private. */
class PublicApiTest {
  private static List<String> publicTypes() throws Exception {
    Path classes =
        Path.of(MailFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .map(p -> classes.relativize(p).toString())
          .filter(
              p -> p.endsWith(".class") && !p.contains("$") && !p.endsWith("package-info.class"))
          .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
          .filter(PublicApiTest::isPublic)
          .sorted()
          .toList();
    }
  }

  private static boolean isPublic(String name) {
    try {
      return Modifier.isPublic(Class.forName(name).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void publicTypes_areTheFilterSpiTheServerTheClientAndWhatTheClientSpeaks() throws Exception {
    assertThat(publicTypes())
        .containsExactly(
            "org.authmill.milter.ClientInfo",
            "org.authmill.milter.Decision",
            "org.authmill.milter.FilterChain",
            "org.authmill.milter.HeaderChange",
            "org.authmill.milter.Macros",
            "org.authmill.milter.MailEvent",
            "org.authmill.milter.MailFilter",
            "org.authmill.milter.MailFilterFactory",
            "org.authmill.milter.MilterCodec",
            "org.authmill.milter.MilterCommand",
            "org.authmill.milter.MilterMetrics",
            "org.authmill.milter.MilterProtocol",
            "org.authmill.milter.MilterProtocolException",
            "org.authmill.milter.MilterReply",
            "org.authmill.milter.MilterServer",
            "org.authmill.milter.MilterSettings",
            "org.authmill.milter.SmtpReply",
            "org.authmill.milter.Verdict",
            "org.authmill.milter.client.MilterClient",
            "org.authmill.milter.client.MilterMessage",
            "org.authmill.milter.client.MilterResult",
            "org.authmill.milter.client.MilterTransaction");
  }
}
