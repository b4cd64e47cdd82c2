package org.authmill.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.authmill.bench.BenchMessages;
import org.authmill.bench.MilterFeed;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSigner;
import org.authmill.milter.client.MilterMessage;

/**
 * Distinct realistic messages for the load benchmarks: {@link BenchMessages}' headers with a
 * Message-ID and Subject of their own, a text body of the given size, each DKIM-signed (RFC 6376
 * §5: relaxed/relaxed, the signer's default fields and oversigning, {@code t=}) by the bench
 * domain's key, so that a verifying filter does the whole verification for every message.
 */
public final class LoadMessages {
  private LoadMessages() {}

  /** {@code count} signed messages with a body of {@code bodySize} octets, as raw CRLF bytes. */
  public static List<byte[]> signed(int count, int bodySize, DkimPrivateKey key) {
    DkimSigner signer =
        DkimSigner.builder()
            .domain(BenchDomain.DOMAIN)
            .selector(BenchDomain.SELECTOR)
            .key(key)
            .build();
    List<byte[]> out = new ArrayList<>(count);
    byte[] body = BenchMessages.body(bodySize);
    for (int i = 0; i < count; i++) {
      byte[] message = unsigned(i, body);
      DkimSignStream signing = signer.newStream();
      MilterFeed.of(message).into(signing);
      byte[] head = (signing.finish().get(0).field() + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] signedMessage = new byte[head.length + message.length];
      System.arraycopy(head, 0, signedMessage, 0, head.length);
      System.arraycopy(message, 0, signedMessage, head.length, message.length);
      out.add(signedMessage);
    }
    return out;
  }

  /** The same messages cut as an MTA hands them to a milter. */
  public static List<MilterMessage> forMilter(List<byte[]> messages) {
    return messages.stream().map(MilterMessage::parse).toList();
  }

  /** Message {@code index}: the bench headers with its own Message-ID and Subject, then body. */
  static byte[] unsigned(int index, byte[] body) {
    String headers =
        BenchMessages.headers()
            .replace(
                "Message-ID: <20261128092958.4711@mail-out.example.com>",
                "Message-ID: <20261128092958." + index + "@mail-out.example.com>")
            .replace("draft 3", "draft " + index);
    byte[] head = (headers + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] message = new byte[head.length + body.length];
    System.arraycopy(head, 0, message, 0, head.length);
    System.arraycopy(body, 0, message, head.length, body.length);
    return message;
  }
}
