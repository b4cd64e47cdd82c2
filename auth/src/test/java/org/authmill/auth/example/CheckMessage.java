package org.authmill.auth.example;

// README begin: README.md's "Using the libraries" shows this file from here to "README end".
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.AuthStream;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.MessageSink;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;

/** {@code java CheckMessage MESSAGE CLIENT-IP HELO MAIL-FROM} prints the verdicts of a message. */
public class CheckMessage {
  public static void main(String[] args) throws IOException {
    DnsResolver dns = CachingResolver.builder(DnsjavaResolver.builder().build()).build();
    Authenticator authenticator = authenticator(dns); // once, for every message
    AuthOutcome outcome =
        check(authenticator, Path.of(args[0]), InetAddress.getByName(args[1]), args[2], args[3]);
    System.out.println(outcome.authenticationResults().toHeaderField());
    System.out.println(
        "dmarc=" + outcome.dmarc().result().keyword() + ": " + outcome.dmarc().reason());
  }

  static Authenticator authenticator(DnsResolver dns) {
    return Authenticator.builder().resolver(dns).authservId("mx.example.net").build();
  }

  /** SPF for the envelope, every DKIM signature and DMARC, for one message as received. */
  static AuthOutcome check(
      Authenticator authenticator, Path message, InetAddress client, String helo, String mailFrom)
      throws IOException {
    AuthStream stream = authenticator.begin(client, helo, mailFrom);
    try (InputStream in = Files.newInputStream(message)) {
      MessageSink.feed(in, stream, 64 * 1024);
    }
    return stream.finish().toCompletableFuture().join();
  }
}
// README end
