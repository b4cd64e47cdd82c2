package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalsTest {
  @Test
  void on_runsTheHandlerWhenTheProcessGetsTheSignal() throws Exception {
    CountDownLatch got = new CountDownLatch(1);
    Signals.on("HUP", got::countDown);
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
    assertThat(got.await(10, TimeUnit.SECONDS)).as("signal handled").isTrue();
  }
}
