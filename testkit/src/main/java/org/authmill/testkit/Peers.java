package org.authmill.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real programs that tests run against. Where one is missing, a test is skipped with a
 * message that names the Debian package to install, except in CI (environment {@code CI=true} or
 * system property {@code authmill.requirePeers=true}), where the test fails instead.
 */
public final class Peers {
  private static final List<String> SEARCH_PATH = searchPath();

  private Peers() {}

  /** True when a missing peer must fail the test rather than skip it. */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv("CI"))
        || Boolean.getBoolean("authmill.requirePeers");
  }

  /** True when the test runs as root (Postfix and NSD tests need it to start their daemons). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The path of an executable, or skips (outside CI) or fails (in CI) the calling test.
   *
   * @param command the program's file name, such as {@code nsd}
   * @param debianPackage the Debian package that installs it, named in the message
   */
  public static Path command(String command, String debianPackage) {
    for (String dir : SEARCH_PATH) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return missing(command + " (Debian package " + debianPackage + ")");
  }

  /**
   * Debian's own Python 3 ({@code /usr/bin/python3}), checked to import a module, or skips or fails
   * the calling test. Debian's Python packages (python3-dkim, python3-spf) are installed for this
   * interpreter, not for any other python3 on the PATH.
   */
  public static Path python3Module(String module, String debianPackage) {
    Path python = Path.of("/usr/bin/python3");
    if (Files.isExecutable(python)) {
      try {
        Process p =
            new ProcessBuilder(python.toString(), "-c", "import " + module)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return python;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // reported below as missing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return missing("the Python module " + module + " (Debian package " + debianPackage + ")");
  }

  /** Skips the calling test outside CI, fails it in CI, naming what is missing. */
  public static <T> T missing(String what) {
    String message =
        "needs " + what + ", which is not installed; run .ci/run or apt-get install it";
    if (required()) {
      Assertions.fail(message + " (CI=true: peers are required)");
    }
    Assumptions.abort("skipped: " + message);
    throw new AssertionError("unreachable");
  }

  private static List<String> searchPath() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin"));
    return List.copyOf(dirs);
  }
}
