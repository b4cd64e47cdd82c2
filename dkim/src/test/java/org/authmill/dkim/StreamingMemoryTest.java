package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A 50 MiB message signed and verified in 64 KiB chunks (a prime size, so CRLFs split across
 * chunks) with heap use that does not grow with the message. Bounds asserted: the heap retained
 * after a full GC grows by less than 4 MiB between 1 MiB and 50 MiB of body, and feeding the 49 MiB
 * in between allocates less than 1 MiB in total (no allocation per byte, line or chunk beyond
 * constant scratch space).
 */
class StreamingMemoryTest {
  private static final int MIB = 1024 * 1024;
  private static final int TOTAL = 50 * MIB;
  private static final int CHUNK = 65521;
  private static final byte[] HEADER =
      TestMessages.crlf(
          "From: Big <big@example.com>\nTo: you@example.org\nSubject: 50 MiB\n"
              + "Date: Mon, 02 Jan 2023 10:00:00 +0000\n");

  private static final byte[] PATTERN = pattern();

  private static byte[] pattern() {
    StringBuilder lines = new StringBuilder();
    int n = 0;
    while (lines.length() < 2 * CHUNK) {
      lines.append("line ").append(n++).append(" with  double\t spaces and trailing  \r\n");
      if (n % 7 == 0) {
        lines.append("\r\n\r\n");
      }
    }
    return lines.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Feeds body octets [from, to) of the endless pattern. */
  private interface Body {
    void accept(byte[] bytes, int offset, int length);
  }

  private static void feed(Body body, long from, long to) {
    long position = from;
    while (position < to) {
      int offset = (int) (position % CHUNK);
      int length = (int) Math.min(CHUNK, to - position);
      body.accept(PATTERN, offset, length);
      position += length;
    }
  }

  private static long retainedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void signAndVerify_fiftyMebibytes_heapDoesNotGrow() {
    DkimPrivateKey rsa = DkimPrivateKey.generateRsa(2048);
    DkimPrivateKey ed = DkimPrivateKey.generateEd25519();
    List<DkimSigner> signers =
        List.of(
            DkimSigner.builder().domain("example.com").selector("rsa").key(rsa).build(),
            DkimSigner.builder()
                .domain("example.com")
                .selector("ed")
                .key(ed)
                .canonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE)
                .build());

    DkimSignStream signing = DkimSignStream.of(signers);
    for (byte[] field : TestMessages.split(HEADER).fields()) {
      signing.header(field);
    }
    signing.endOfHeaders();
    feed(signing::body, 0, MIB);
    long heapAt1 = retainedHeap();
    long allocatedBefore = allocated();
    feed(signing::body, MIB, TOTAL);
    long signAllocation = allocated() - allocatedBefore;
    long heapAt50 = retainedHeap();
    List<DkimSignatureField> fields = signing.finish();
    assertThat(signAllocation).as("bytes allocated signing 49 MiB").isLessThan(MIB);
    assertThat(heapAt50 - heapAt1).as("heap growth signing 1 → 50 MiB").isLessThan(4L * MIB);

    DkimVerifier verifier =
        DkimVerifier.builder(
                TestMessages.resolver(
                    Map.of(
                        "rsa._domainkey.example.com", List.of(rsa.keyRecord()),
                        "ed._domainkey.example.com", List.of(ed.keyRecord()))))
            .build();
    DkimVerifyStream verification = verifier.newStream();
    for (DkimSignatureField field : fields) {
      verification.header(field.field().getBytes(StandardCharsets.US_ASCII));
    }
    for (byte[] field : TestMessages.split(HEADER).fields()) {
      verification.header(field);
    }
    verification.endOfHeaders();
    feed(verification::body, 0, MIB);
    heapAt1 = retainedHeap();
    allocatedBefore = allocated();
    feed(verification::body, MIB, TOTAL);
    long verifyAllocation = allocated() - allocatedBefore;
    heapAt50 = retainedHeap();
    List<DkimOutcome> outcomes = verification.finish().toCompletableFuture().join();
    assertThat(outcomes).hasSize(2).allMatch(DkimOutcome::passed, outcomes.toString());
    assertThat(verifyAllocation).as("bytes allocated verifying 49 MiB").isLessThan(MIB);
    assertThat(heapAt50 - heapAt1).as("heap growth verifying 1 → 50 MiB").isLessThan(4L * MIB);
    System.out.printf(
        "50 MiB: signing allocated %d bytes and verifying %d bytes over 49 MiB; heap growth %d"
            + " bytes%n",
        signAllocation, verifyAllocation, heapAt50 - heapAt1);
  }
}
