package org.authmill.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;

/** Helpers for the dkim tests: CRLF conversion, splitting and feeding messages, a map resolver. */
final class TestMessages {
  private TestMessages() {}

  /** Bare LF becomes CRLF; CRLF stays. */
  static byte[] crlf(byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 20);
    for (int i = 0; i < message.length; i++) {
      if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(message[i]);
    }
    return out.toByteArray();
  }

  static byte[] crlf(String message) {
    return crlf(message.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] read(Path file) {
    try {
      return crlf(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A split message: raw fields (no final CRLF) and the body. */
  record Split(List<byte[]> fields, byte[] body) {}

  static Split split(byte[] message) {
    List<byte[]> fields = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < message.length) {
      if (i + 1 < message.length && message[i] == '\r' && message[i + 1] == '\n') {
        if (i == start) { // empty line
          i += 2;
          break;
        }
        boolean continued =
            i + 2 < message.length && (message[i + 2] == ' ' || message[i + 2] == '\t');
        if (!continued) {
          fields.add(java.util.Arrays.copyOfRange(message, start, i));
          start = i + 2;
        }
        i += 2;
      } else {
        i++;
      }
    }
    if (i >= message.length && start < message.length && fields.isEmpty()) {
      fields.add(java.util.Arrays.copyOfRange(message, start, message.length));
    }
    return new Split(
        fields, java.util.Arrays.copyOfRange(message, Math.min(i, message.length), message.length));
  }

  /** Verifies a CRLF message fed in body chunks of the given size. */
  static List<DkimOutcome> verify(DkimVerifier verifier, byte[] message, int chunk) {
    Split split = split(message);
    DkimVerifyStream v = verifier.newStream();
    split.fields().forEach(v::header);
    v.endOfHeaders();
    for (int off = 0; off < split.body().length; off += chunk) {
      v.body(split.body(), off, Math.min(chunk, split.body().length - off));
    }
    return v.finish().toCompletableFuture().join();
  }

  static List<DkimOutcome> verify(DkimVerifier verifier, byte[] message) {
    return verify(verifier, message, 65536);
  }

  /** Signs a CRLF message and returns the signed message (fields prepended). */
  static byte[] sign(List<DkimSigner> signers, byte[] message, int chunk) {
    Split split = split(message);
    DkimSignStream s = DkimSignStream.of(signers);
    split.fields().forEach(s::header);
    s.endOfHeaders();
    for (int off = 0; off < split.body().length; off += chunk) {
      s.body(split.body(), off, Math.min(chunk, split.body().length - off));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (DkimSignatureField field : s.finish()) {
      out.writeBytes((field.field() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(message);
    return out.toByteArray();
  }

  static byte[] sign(DkimSigner signer, byte[] message) {
    return sign(List.of(signer), message, 65536);
  }

  /** A resolver answering TXT from a map; names mapped to null time out. */
  static DnsResolver resolver(Map<String, List<String>> txt) {
    return new DnsResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
        String key = name.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
        if (!txt.containsKey(key)) {
          return CompletableFuture.completedFuture(
              new DnsAnswer.NxDomain<>(java.time.Duration.ZERO));
        }
        List<String> values = txt.get(key);
        if (values == null) {
          return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>("timed out"));
        }
        if (values.isEmpty()) {
          return CompletableFuture.completedFuture(new DnsAnswer.NoData<>(java.time.Duration.ZERO));
        }
        return CompletableFuture.completedFuture(
            (DnsAnswer<T>) new DnsAnswer.Records<>(values, java.time.Duration.ofMinutes(5)));
      }
    };
  }
}
