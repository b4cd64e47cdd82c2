package org.authmill.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about a process (proc(5)): its resident set ({@code VmRSS} of
 * {@code /proc/PID/status}) and the CPU time it has used ({@code utime + stime} of {@code
 * /proc/PID/stat}, in clock ticks of 1/100 s, the {@code USER_HZ} of every Linux on x86 and ARM).
 */
public final class ProcStats {
  /** Clock ticks per second of {@code /proc/PID/stat} ({@code sysconf(_SC_CLK_TCK)}). */
  static final double TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** The resident set of process {@code pid} in MiB. */
  public static double rssMib(long pid) throws IOException {
    return rssKib(Files.readString(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII))
        / 1024.0;
  }

  /** The CPU time (user + system) process {@code pid} has used, in seconds. */
  public static double cpuSeconds(long pid) throws IOException {
    return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII))
        / TICKS_PER_SECOND;
  }

  /** {@code VmRSS} in KiB from the text of {@code /proc/PID/status}. */
  static long rssKib(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        if (f.length == 2 && f[1].equals("kB")) {
          return Long.parseLong(f[0]);
        }
      }
    }
    throw new IllegalArgumentException("no VmRSS line in /proc/PID/status");
  }

  /**
   * {@code utime + stime} from the text of {@code /proc/PID/stat}: fields 14 and 15, counted after
   * the command name in parentheses, which may itself hold spaces and parentheses.
   */
  static long cpuTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not the text of /proc/PID/stat: " + stat);
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state): utime is field 14, stime field 15.
    if (f.length < 13) {
      throw new IllegalArgumentException("/proc/PID/stat has too few fields: " + stat);
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
