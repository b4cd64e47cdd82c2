package org.authmill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;

/** dkimpy (python3-dkim) verifying messages with keys fetched from one name server. */
final class DkimpyVerifier implements AutoCloseable {
  private final Process process;
  private final OutputStream in;
  private final InputStream out;

  DkimpyVerifier(int port) throws IOException {
    Path python = Peers.python3Module("dkim", "python3-dkim");
    Path peer = TestPaths.testdata("dkim/dkimpy_peer.py").toAbsolutePath();
    process =
        new ProcessBuilder(python.toString(), peer.toString(), "serve", Integer.toString(port))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    in = process.getOutputStream();
    out = process.getInputStream();
  }

  /** {@code pass}, or {@code fail} with dkimpy's log. */
  synchronized String verify(byte[] message) throws IOException {
    in.write(("verify " + message.length + "\n").getBytes(StandardCharsets.US_ASCII));
    in.write(message);
    in.flush();
    StringBuilder line = new StringBuilder();
    for (int c = out.read(); c != '\n'; c = out.read()) {
      if (c < 0) {
        throw new IOException("dkimpy exited");
      }
      line.append((char) c);
    }
    return new String(out.readNBytes(Integer.parseInt(line.toString())), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroy();
  }
}
