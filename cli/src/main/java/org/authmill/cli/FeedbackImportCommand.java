package org.authmill.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.authmill.feedback.FeedbackImporter;
import org.authmill.feedback.FeedbackStore;
import org.authmill.feedback.ImportOutcome;
import org.authmill.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill feedback import PATH...}: stores the DMARC reports in files ({@code .xml}, {@code
 * .xml.gz}, {@code .zip}, {@code .eml}), directories, Maildir folders and mbox files. Each bad
 * report is named on standard error and skipped; the command ends with one JSON line {@code
 * {"imported": N, "duplicates": N, "failed": N}}. Exit status 0 when nothing failed, 1 otherwise.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import DMARC aggregate and failure reports from files, directories, Maildir and mbox.",
      "Prints {\"imported\": N, \"duplicates\": N, \"failed\": N}; failures on stderr."
    })
final class FeedbackImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Report files or folders.")
  List<Path> paths = new ArrayList<>();

  @Mixin FeedbackStoreOptions storeOptions;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    try (Store store = storeOptions.open()) {
      FeedbackStore sink = FeedbackStoreOptions.feedback(store);
      FeedbackImporter importer =
          FeedbackImporter.builder(sink)
              .onFailure(
                  f -> err.println("authmill feedback import: " + f.source() + ": " + f.reason()))
              .build();
      ImportOutcome outcome = importer.importPaths(paths);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("imported", outcome.imported());
      out.put("duplicates", outcome.duplicates());
      out.put("failed", outcome.failed());
      spec.commandLine().getOut().println(Json.write(out));
      return outcome.failed() == 0 ? ExitCodes.PASS : ExitCodes.NOT_PASS;
    }
  }
}
