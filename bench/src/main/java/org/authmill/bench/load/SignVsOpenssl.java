package org.authmill.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.authmill.bench.BenchMessages;
import org.authmill.bench.DkimBenchmark;
import org.authmill.bench.MilterFeed;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSigner;

/**
 * {@code ratio.sign_vs_openssl} measured in pairs: authmill signs the 4 KiB message with RSA-2048
 * for {@code N} seconds (CPU time of the signing thread per signature: body hash, header hash, the
 * RSA operation, the field) and {@code openssl speed -seconds N rsa2048} runs (which divides by CPU
 * user time) right before or after it, in turn, for {@code R} rounds; the ratio is the median of
 * the rounds' ratios. On a shared machine whose speed drifts by 20% within minutes, only
 * measurements taken side by side compare.
 *
 * <pre>
 * java -cp benchmarks.jar org.authmill.bench.load.SignVsOpenssl --out FILE [--seconds 3] \
 *     [--rounds 5]
 * </pre>
 */
public final class SignVsOpenssl {
  private static final Pattern OPENSSL = Pattern.compile("(?m)^rsa 2048 bits\\s+([0-9.]+)s\\s");

  private SignVsOpenssl() {}

  public static void main(String[] args) throws Exception {
    StepArgs a = StepArgs.parse(args, Set.of("--out", "--seconds", "--rounds"), Set.of());
    StepOutput out = new StepOutput(a.path("--out"));
    int seconds = a.integer("--seconds", 3);
    int rounds = a.integer("--rounds", 5);
    DkimSigner signer =
        DkimSigner.builder()
            .domain("example.com")
            .selector("sel")
            .key(DkimPrivateKey.generateRsa(2048))
            .headers(DkimBenchmark.SIGNED)
            .oversign(List.of())
            .build();
    MilterFeed message = MilterFeed.of(BenchMessages.message(4096));
    signFor(signer, message, seconds); // warm-up
    List<Double> ours = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      // Alternating which goes first, so that a drift within a round favours neither.
      double authmill;
      double openssl;
      if (r % 2 == 0) {
        authmill = signFor(signer, message, seconds);
        openssl = opensslSign(seconds);
      } else {
        openssl = opensslSign(seconds);
        authmill = signFor(signer, message, seconds);
      }
      ours.add(authmill);
      theirs.add(openssl);
      ratios.add(authmill / openssl);
      System.err.printf(
          Locale.ROOT,
          "bench: sign pair %d/%d: authmill %.1f µs, openssl %.1f µs, ratio %.3f%n",
          r + 1,
          rounds,
          authmill,
          openssl,
          authmill / openssl);
    }
    out.put("sign_pair.authmill_cpu_us.runs", StepOutput.list(ours));
    out.put("sign_pair.openssl_us.runs", StepOutput.list(theirs));
    out.put("sign_pair.ratio.runs", StepOutput.list(ratios));
    out.put("sign_pair.authmill_cpu_us", StepOutput.median(ours));
    out.put("openssl.rsa2048_sign_us", StepOutput.median(theirs));
    out.put("ratio.sign_vs_openssl", StepOutput.median(ratios));
  }

  /** Signs for {@code seconds}; returns the CPU microseconds per signature. */
  private static double signFor(DkimSigner signer, MilterFeed message, int seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long cpu = threads.getCurrentThreadCpuTime();
    int n = 0;
    long sink = 0;
    while (System.nanoTime() < end) {
      DkimSignStream signing = signer.newStream();
      message.into(signing);
      sink += signing.finish().get(0).value().length();
      n++;
    }
    if (sink == 0) {
      throw new IllegalStateException("no signature made");
    }
    return (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / n;
  }

  /** {@code openssl speed -seconds N rsa2048}: microseconds per RSA-2048 signature. */
  private static double opensslSign(int seconds) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("openssl", "speed", "-seconds", Integer.toString(seconds), "rsa2048")
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("openssl speed failed: " + text);
    }
    Matcher m = OPENSSL.matcher(text);
    if (!m.find()) {
      throw new IOException("no rsa 2048 line in openssl speed's output: " + text);
    }
    return Double.parseDouble(m.group(1)) * 1e6;
  }
}
