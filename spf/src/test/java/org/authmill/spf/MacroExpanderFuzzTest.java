package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link MacroString} parsing and {@link MacroExpander} on any text and any context: a parse is a
 * value or a {@link SyntaxError}; expansions are bounded, and the bounded expansions agree with the
 * unbounded reference (RFC 7208 §7.3: the name to look up is the whole expansion, trailing dot
 * removed and left labels dropped down to 253 characters).
 */
class MacroExpanderFuzzTest {
  private static final MacroString.Kind[] KINDS = MacroString.Kind.values();

  @FuzzTest(maxDuration = "30s")
  void expand_anyMacroStringAnyContext_boundedAndAsTheReference(byte[] input)
      throws UnknownHostException {
    // kind NUL local-part NUL domain NUL helo NUL client-ip NUL macro-string
    String[] f = new String(input, StandardCharsets.UTF_8).split("\0", 6);
    if (f.length < 6) {
      return;
    }
    MacroString.Kind kind = KINDS[Math.floorMod(f[0].hashCode(), KINDS.length)];
    String local = f[1];
    String domain = f[2];
    String helo = f[3];
    InetAddress ip = address(f[4]);
    String text = f[5];
    MacroString macro;
    try {
      macro = MacroString.parse(text, kind);
    } catch (SyntaxError e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(macro.source()).isEqualTo(text);
    MacroContext ctx =
        new MacroContext(
            local + "@" + domain,
            local,
            domain,
            domain,
            ip,
            helo,
            "unknown",
            "mx.receiver.test",
            Instant.ofEpochSecond(1_700_000_000L));
    String full = MacroExpander.expandUnbounded(macro, ctx);
    String expanded = MacroExpander.expand(macro, ctx);
    assertThat(expanded.length()).isLessThanOrEqualTo(MacroExpander.MAX_EXPANSION);
    assertThat(full).startsWith(expanded);
    if (full.length() <= MacroExpander.MAX_EXPANSION) {
      assertThat(expanded).isEqualTo(full);
    }
    if (kind == MacroString.Kind.DOMAIN_SPEC) {
      String name = MacroExpander.expandDomain(macro, ctx);
      String reference = MacroExpander.truncate(full);
      if (reference.length() <= MacroExpander.MAX_DOMAIN_LENGTH) {
        assertThat(name).isEqualTo(reference);
      } else {
        // One label longer than any name: no lookup accepts it, however much of it is kept.
        assertThat(reference).doesNotContain(".");
        assertThat(name.length()).isGreaterThan(MacroExpander.MAX_DOMAIN_LENGTH);
        assertThat(name).doesNotContain(".");
        assertThat(reference).endsWith(name);
      }
    }
  }

  /** The client address: an IPv4 or IPv6 literal, else 192.0.2.1 (never a name lookup). */
  private static InetAddress address(String text) throws UnknownHostException {
    boolean literal =
        !text.isEmpty()
            && text.length() < 46
            && text.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0);
    if (literal && (text.indexOf(':') >= 0 || text.chars().filter(c -> c == '.').count() == 3)) {
      try {
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        // not a literal after all
      }
    }
    return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
  }
}
