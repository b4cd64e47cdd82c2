package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderStoreTest {
  private static HeaderStore store(String... fields) {
    HeaderStore store = new HeaderStore(1 << 20, 100);
    for (String field : fields) {
      byte[] bytes = field.getBytes(StandardCharsets.ISO_8859_1);
      store.add(bytes, 0, bytes.length);
    }
    return store;
  }

  private static List<String> text(List<byte[]> fields) {
    return fields.stream().map(f -> new String(f, StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  void select_bottomUpAndMissingContributeNothing() {
    // RFC 6376 §5.4.2: repeated names take instances from the bottom up
    HeaderStore store = store("Received: 1", "From: a", "Received: 2\r\n", "Subject : s");
    assertThat(
            text(
                store.select(List.of("received", "received", "received", "from", "subject", "cc"))))
        .containsExactly("Received: 2", "Received: 1", "From: a", "Subject : s");
    assertThat(store.count("received")).isEqualTo(2);
  }

  @Test
  void add_overLimit_setsOverflowButCountsSignatures() {
    HeaderStore store = new HeaderStore(10, 100);
    byte[] sig = "DKIM-Signature: v=1; a=rsa-sha256".getBytes(StandardCharsets.ISO_8859_1);
    store.add(sig, 0, sig.length);
    assertThat(store.overflow()).isTrue();
    assertThat(store.signatureFieldsSeen()).isEqualTo(1);
    assertThat(store.size()).isZero();
  }

  @Test
  void nameOf_lowerCaseWithoutWhitespaceBeforeTheColon() {
    byte[] field = "xDKIM-Signature \t: v=1".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HeaderStore.nameOf(field, 1, field.length - 1)).isEqualTo("dkim-signature");
    assertThat(HeaderStore.nameOf(field, 0, 5)).isEqualTo("xdkim");
    byte[] lower = "subject:hi".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HeaderStore.nameOf(lower, 0, lower.length)).isEqualTo("subject");
    byte[] received = "ReCeived: from x".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HeaderStore.nameOf(received, 0, received.length)).isEqualTo("received");
    byte[] custom = "X-Custom-Header:1".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HeaderStore.nameOf(custom, 0, custom.length)).isEqualTo("x-custom-header");
    byte[] eightBit = "X-\u00c9T\u00c9:1".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HeaderStore.nameOf(eightBit, 0, eightBit.length)).isEqualTo("x-\u00e9t\u00e9");
  }

  @Test
  void select_longListWithRepeatsAndMissingNames() {
    // an h= list far longer than the header section still selects each instance once, bottom up
    HeaderStore store = store("To: 1", "From: a", "To: 2", "To: 3");
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      names.add(i % 2 == 0 ? "to" : "x-missing");
    }
    names.add("from");
    assertThat(text(store.select(names))).containsExactly("To: 3", "To: 2", "To: 1", "From: a");
  }
}
