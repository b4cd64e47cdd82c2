package org.authmill.cli;

import java.net.InetAddress;
import picocli.CommandLine.Option;

/**
 * The SMTP envelope of the commands that check mail as a receiver would (RFC 5321 §3.3): {@code
 * --ip} (the client's address), {@code --mail-from} (the reverse-path; {@code ""} or {@code <>} is
 * the null reverse-path) and {@code --helo}.
 */
final class EnvelopeOptions {
  @Option(names = "--ip", required = true, paramLabel = "IP", description = "SMTP client address.")
  String ip;

  @Option(
      names = "--mail-from",
      required = true,
      paramLabel = "ADDR",
      description = "MAIL FROM address; \"\" for the null reverse-path.")
  String mailFrom;

  @Option(names = "--helo", paramLabel = "NAME", defaultValue = "", description = "HELO name.")
  String helo;

  /** The client address; a literal only, never a host name to look up. */
  InetAddress client() {
    return SpfCommand.parseIp(ip);
  }

  /** The reverse-path without angle brackets; {@code ""} for the null reverse-path. */
  String sender() {
    String sender = mailFrom.trim();
    if (sender.startsWith("<") && sender.endsWith(">")) {
      sender = sender.substring(1, sender.length() - 1).trim();
    }
    return sender;
  }

  /** The HELO name, required when SPF must check {@code postmaster@HELO} (RFC 7208 §2.4). */
  String helo() {
    return helo;
  }

  /** Fails with a clear message when the null reverse-path comes without a HELO name. */
  void requireHeloForNullSender() {
    if (sender().isEmpty() && helo.isEmpty()) {
      throw new InputException(
          "the null reverse-path (--mail-from \"\") is checked as postmaster@HELO: give --helo NAME");
    }
  }
}
