package org.authmill.report;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A small SMTP client (RFC 5321) that hands one message to a relay for one recipient: EHLO (HELO
 * when refused), MAIL FROM, RCPT TO, DATA with dot-stuffing (§4.5.2), QUIT. No TLS or AUTH: the
 * relay is the local MTA (by default 127.0.0.1:25), which takes care of onward delivery.
 */
public final class SmtpClient {
  /** The longest reply line read (RFC 5321 §4.5.3.1.5 says 512; some servers exceed it). */
  static final int MAX_LINE = 4096;

  /** The most lines of one multiline reply read. */
  static final int MAX_REPLY_LINES = 100;

  private final InetSocketAddress relay;
  private final String heloName;
  private final Duration timeout;

  /**
   * A client for a relay.
   *
   * @param relay the relay's address
   * @param heloName the name given in EHLO
   * @param timeout connect and per-reply read timeout
   */
  public SmtpClient(InetSocketAddress relay, String heloName, Duration timeout) {
    this.relay = Objects.requireNonNull(relay, "relay");
    this.heloName = Objects.requireNonNull(heloName, "heloName");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The relay's address. */
  public InetSocketAddress relay() {
    return relay;
  }

  /**
   * Sends a message (CRLF line ends) and returns the relay's final reply: 250 after DATA when it
   * accepted the message, else the first reply that was not a success, or code 0 when the session
   * broke. Never throws for network failures.
   */
  public SmtpReply send(String mailFrom, String rcptTo, byte[] message) {
    try (Socket socket = new Socket()) {
      socket.connect(relay, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      InputStream in = socket.getInputStream();
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      SmtpReply r = read(in);
      if (r.code() != 220) {
        return r;
      }
      command(out, "EHLO " + heloName);
      r = read(in);
      if (r.code() != 250) {
        command(out, "HELO " + heloName);
        r = read(in);
        if (r.code() != 250) {
          return r;
        }
      }
      command(out, "MAIL FROM:<" + mailFrom + ">");
      r = read(in);
      if (!r.accepted()) {
        quit(out);
        return r;
      }
      command(out, "RCPT TO:<" + rcptTo + ">");
      r = read(in);
      if (!r.accepted()) {
        quit(out);
        return r;
      }
      command(out, "DATA");
      r = read(in);
      if (r.code() != 354) {
        quit(out);
        return r;
      }
      out.write(dotStuff(message));
      out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      r = read(in);
      quit(out);
      return r;
    } catch (IOException e) {
      return SmtpReply.unreachable("relay " + relay + ": " + e.getMessage());
    }
  }

  private static void quit(OutputStream out) {
    try {
      command(out, "QUIT");
    } catch (IOException e) {
      // the reply that matters was read already
    }
  }

  private static void command(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one reply, multiline or not (RFC 5321 §4.2.1). */
  static SmtpReply read(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int lines = 0; lines < MAX_REPLY_LINES; lines++) {
      String line = readLine(in);
      if (line.length() < 3) {
        throw new IOException("malformed SMTP reply: " + line);
      }
      int code;
      try {
        code = Integer.parseInt(line.substring(0, 3));
      } catch (NumberFormatException e) {
        throw new IOException("malformed SMTP reply: " + line, e);
      }
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) != '-') {
        return new SmtpReply(code, text.toString());
      }
    }
    throw new IOException("SMTP reply longer than " + MAX_REPLY_LINES + " lines");
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed by the relay");
      }
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        if (line.size() >= MAX_LINE) {
          throw new IOException("SMTP reply line longer than " + MAX_LINE);
        }
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /**
   * The message with a dot doubled at the start of every line (RFC 5321 §4.5.2), ending in CRLF.
   */
  static byte[] dotStuff(byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
    boolean lineStart = true;
    for (byte b : message) {
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n';
    }
    if (!lineStart) {
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }
}
