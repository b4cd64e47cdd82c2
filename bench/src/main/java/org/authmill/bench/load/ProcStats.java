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

  /**
   * The CPU time (user + system) of process {@code pid} and of its living descendants, in seconds:
   * for a daemon whose work runs in child processes (rspamd's workers), whose time the parent's
   * {@code /proc/PID/stat} counts only once they have exited.
   */
  public static double treeCpuSeconds(long pid) throws IOException {
    long ticks = 0;
    for (long p : tree(pid)) {
      try {
        ticks +=
            cpuTicks(Files.readString(Path.of("/proc/" + p + "/stat"), StandardCharsets.US_ASCII));
      } catch (IOException e) {
        if (p == pid) {
          throw e;
        }
        // a worker that exited between the listing and the read
      }
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** The resident sets of process {@code pid} and its living descendants, summed, in MiB. */
  public static double treeRssMib(long pid) throws IOException {
    double mib = 0;
    for (long p : tree(pid)) {
      try {
        mib += rssMib(p);
      } catch (IOException e) {
        if (p == pid) {
          throw e;
        }
      }
    }
    return mib;
  }

  /** {@code pid} and its living descendants, from {@code ProcessHandle}. */
  static java.util.List<Long> tree(long pid) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    out.add(pid);
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> out.add(d.pid())));
    return out;
  }

  /**
   * The CPU time of process {@code pid}'s threads in seconds, summed by what the threads do, from
   * their names in {@code /proc/PID/task/TID/stat} (HotSpot names its threads): {@code jit} (C1 and
   * C2 compiler threads), {@code gc} (G1, GC and VM threads: collections and safepoints) and {@code
   * other} (everything else: the application, Vert.x's event loops, timers).
   */
  public static java.util.Map<String, Double> threadCpuSeconds(long pid) throws IOException {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String group : java.util.List.of("jit", "gc", "other")) {
      out.put(group, 0.0);
    }
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          continue; // a thread that ended meanwhile
        }
        out.merge(threadGroup(stat), cpuTicks(stat) / TICKS_PER_SECOND, Double::sum);
      }
    }
    return out;
  }

  /** The group of a thread from its {@code /proc/.../stat} text (see {@link #threadCpuSeconds}). */
  static String threadGroup(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    String name = open >= 0 && close > open ? stat.substring(open + 1, close) : "";
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
      return "jit";
    }
    if (name.startsWith("G1 ") || name.startsWith("GC Thread") || name.equals("VM Thread")) {
      return "gc";
    }
    return "other";
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
