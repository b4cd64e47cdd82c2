package org.authmill.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.keys.RotationOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill keys confirm}: the operator did a step by hand at a DNS host without UPDATE:
 * published a new key's record (then it is verified and activated), or removed a retired one's.
 */
@Command(
    name = "confirm",
    mixinStandardHelpOptions = true,
    description = {
      "Confirm that you published a new key's record (it is then checked at every authoritative"
          + " server and activated), or removed a retired key's record."
    })
final class KeysConfirmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeysStateOptions state;

  @Option(names = "--domain", required = true, paramLabel = "D", description = "Signing domain.")
  String domain;

  @Option(
      names = "--selector",
      paramLabel = "S",
      description = "The key, when several of the domain wait.")
  String selector;

  @Override
  public Integer call() {
    RotationOutcome outcome;
    try {
      outcome = state.rotator().confirm(domain, Optional.ofNullable(selector));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return KeysText.report(
        spec.commandLine().getOut(), spec.commandLine().getErr(), List.of(outcome));
  }
}
