package org.authmill.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.authmill.feedback.FeedbackImporter;
import org.authmill.feedback.FeedbackStore;
import org.authmill.feedback.ImapSource;
import org.authmill.feedback.ImportOutcome;
import org.authmill.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authmill feedback import PATH...}: stores the DMARC reports in files ({@code .xml}, {@code
 * .xml.gz}, {@code .zip}, {@code .eml}), directories, Maildir folders and mbox files. Each bad
 * report is named on standard error and skipped; the command ends with one JSON line {@code
 * {"imported": N, "duplicates": N, "failed": N}}. With {@code --imap}, the unseen messages of a
 * mailbox are imported too and then marked \Seen (or moved). Exit status 0 when nothing failed, 1
 * when some report failed, 75 when the IMAP server could not be read.
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

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Report files or folders.")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--imap",
      paramLabel = "URL",
      description =
          "Also import from a mailbox: imaps://USER@HOST[:PORT]/FOLDER (TLS), or"
              + " imap://USER@HOST[:PORT]/FOLDER (STARTTLS required). Folder default INBOX.")
  String imap;

  @Option(
      names = "--imap-password-file",
      paramLabel = "FILE",
      description = "File holding the IMAP password (else the variable of --imap-password-env).")
  Path imapPasswordFile;

  @Option(
      names = "--imap-password-env",
      paramLabel = "VAR",
      defaultValue = "AUTHMILL_IMAP_PASSWORD",
      description = "Environment variable holding the IMAP password (default: ${DEFAULT-VALUE}).")
  String imapPasswordEnv;

  @Option(
      names = "--imap-move-to",
      paramLabel = "FOLDER",
      description = "Move handled messages to this folder instead of marking them \\Seen.")
  String imapMoveTo;

  @Option(
      names = "--imap-ca",
      paramLabel = "FILE",
      description = "Trust the PEM certificate(s) in FILE for the IMAP server (else the system's).")
  Path imapCa;

  @Mixin FeedbackStoreOptions storeOptions;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    if (paths.isEmpty() && imap == null) {
      throw new InputException("give at least one PATH or --imap URL");
    }
    ImapSource.Settings settings = imap == null ? null : imapSettings();
    try (Store store = storeOptions.open()) {
      FeedbackStore sink = FeedbackStoreOptions.feedback(store);
      FeedbackImporter importer =
          FeedbackImporter.builder(sink)
              .onFailure(
                  f -> err.println("authmill feedback import: " + f.source() + ": " + f.reason()))
              .build();
      importer.importPaths(paths);
      if (settings != null) {
        try {
          ImapSource.importMailbox(settings, importer);
        } catch (IOException e) {
          err.println("authmill feedback import: " + e.getMessage());
          printCounts(importer.outcome());
          return ExitCodes.TEMPFAIL;
        }
      }
      ImportOutcome outcome = importer.outcome();
      printCounts(outcome);
      return outcome.failed() == 0 ? ExitCodes.PASS : ExitCodes.NOT_PASS;
    }
  }

  private void printCounts(ImportOutcome outcome) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("imported", outcome.imported());
    out.put("duplicates", outcome.duplicates());
    out.put("failed", outcome.failed());
    spec.commandLine().getOut().println(Json.write(out));
  }

  /** Parses --imap and reads the password from the file or the environment. */
  ImapSource.Settings imapSettings() {
    URI uri;
    try {
      uri = new URI(imap);
    } catch (URISyntaxException e) {
      throw new InputException("--imap " + imap + ": " + e.getMessage());
    }
    boolean tls;
    if ("imaps".equalsIgnoreCase(uri.getScheme())) {
      tls = true;
    } else if ("imap".equalsIgnoreCase(uri.getScheme())) {
      tls = false;
    } else {
      throw new InputException("--imap " + imap + ": expected imaps://USER@HOST/FOLDER");
    }
    if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isEmpty()) {
      throw new InputException("--imap " + imap + ": expected imaps://USER@HOST/FOLDER");
    }
    if (uri.getUserInfo().contains(":")) {
      throw new InputException(
          "--imap: put the password in --imap-password-file or "
              + imapPasswordEnv
              + ", not the URL");
    }
    String folder =
        uri.getPath() == null || uri.getPath().length() <= 1 ? "INBOX" : uri.getPath().substring(1);
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 993 : 143;
    String password;
    if (imapPasswordFile != null) {
      try {
        password = Files.readString(imapPasswordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new InputException("cannot read --imap-password-file " + imapPasswordFile + ": " + e);
      }
    } else {
      password = System.getenv(imapPasswordEnv);
      if (password == null) {
        throw new InputException(
            "--imap needs a password: --imap-password-file FILE or the variable "
                + imapPasswordEnv);
      }
    }
    return new ImapSource.Settings(
        uri.getHost(),
        port,
        tls,
        uri.getUserInfo(),
        password,
        folder,
        Optional.ofNullable(imapMoveTo),
        Optional.ofNullable(imapCa),
        Duration.ofSeconds(60));
  }
}
