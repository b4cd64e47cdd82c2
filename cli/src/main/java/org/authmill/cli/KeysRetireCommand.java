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
 * {@code authmill keys retire}: step 5 for the keys whose retirement time (the old record's TTL
 * plus the retention window after the new key became active) has come, as {@code serve} does on its
 * own; {@code --now} retires a retiring key early.
 */
@Command(
    name = "retire",
    mixinStandardHelpOptions = true,
    description = {
      "Retire old keys whose time has come: stop signing with them, remove (or revoke) their"
          + " records and delete (or archive) their private keys. serve --state-dir does this by"
          + " itself."
    })
final class KeysRetireCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeysStateOptions state;

  @Option(names = "--domain", paramLabel = "D", description = "Only this domain's keys.")
  String domain;

  @Option(names = "--selector", paramLabel = "S", description = "Only this key.")
  String selector;

  @Option(
      names = "--now",
      description =
          "Retire before the window ends (mail signed with the old key and still in transit may"
              + " then fail to verify).")
  boolean now;

  @Override
  public Integer call() {
    List<RotationOutcome> outcomes =
        state.rotator().retire(Optional.ofNullable(domain), Optional.ofNullable(selector), now);
    if (outcomes.isEmpty()) {
      spec.commandLine().getOut().println("nothing to retire now (see authmill keys status)");
      spec.commandLine().getOut().flush();
      return ExitCodes.PASS;
    }
    return KeysText.report(spec.commandLine().getOut(), spec.commandLine().getErr(), outcomes);
  }
}
