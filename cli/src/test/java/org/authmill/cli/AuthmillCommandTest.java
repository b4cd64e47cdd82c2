package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthmillCommandTest {
  @Test
  void help_listsCommandsAndExitStatuses() {
    CliRun run = CliRun.of("--help");
    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("Usage: authmill").contains("lookup").contains("75");
  }

  @Test
  void noArguments_printsUsage() {
    CliRun run = CliRun.of();
    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("Usage: authmill");
  }

  @Test
  void version_printsVersionAndJava() {
    CliRun run = CliRun.of("--version");
    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("authmill ").contains("Java 17");
  }

  @Test
  void unknownOption_usageStatus() {
    CliRun run = CliRun.of("--no-such-option");
    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--no-such-option");
  }
}
