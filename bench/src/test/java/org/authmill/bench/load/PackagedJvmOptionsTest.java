package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench starts authmill as operators run it: the JVM options it uses are those of the packaged
 * systemd unit, and the launcher applies the same JIT setting.
 */
class PackagedJvmOptionsTest {
  private static Path root() {
    return Path.of(System.getProperty("authmill.testdata")).getParent();
  }

  @Test
  void packagedJvmOptions_areTheSystemdUnitsBeforeTheOperatorsOwn() throws Exception {
    List<String> exec =
        Files.readAllLines(root().resolve("packaging").resolve("authmill.service")).stream()
            .filter(line -> line.startsWith("ExecStart="))
            .toList();
    assertThat(exec).hasSize(1);
    String expected =
        "ExecStart=/usr/bin/java "
            + String.join(" ", Daemon.PACKAGED_JVM_OPTIONS)
            + " $AUTHMILL_JAVA_OPTS -jar ";
    assertThat(exec.get(0)).startsWith(expected);
  }

  @Test
  void launcher_usesThePackagedJitSettingBeforeTheOperatorsOwn() throws Exception {
    String jit =
        Daemon.PACKAGED_JVM_OPTIONS.stream()
            .filter(option -> option.startsWith("-XX:TieredStopAtLevel="))
            .findFirst()
            .orElseThrow();
    String launcher = Files.readString(root().resolve("authmill"));
    assertThat(launcher).contains("exec java " + jit + " ${AUTHMILL_JAVA_OPTS:-} -jar ");
  }
}
