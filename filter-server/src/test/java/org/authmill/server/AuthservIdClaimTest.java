package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthservIdClaimTest {
  @Test
  void authservId_plainToken() {
    assertThat(AuthservIdClaim.authservId(" mx.example.org; spf=pass")).contains("mx.example.org");
    assertThat(AuthservIdClaim.authservId("mx.example.org;spf=pass")).contains("mx.example.org");
  }

  @Test
  void authservId_afterFoldingWhitespaceAndNestedComments() {
    assertThat(AuthservIdClaim.authservId("\n\t(a (nested) comment)  \n mx.example.org 1; none"))
        .contains("mx.example.org");
    assertThat(AuthservIdClaim.authservId(" (escaped \\) paren) mx.example.org; none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_quotedString() {
    assertThat(AuthservIdClaim.authservId(" \"mx.example.org\"; none")).contains("mx.example.org");
    assertThat(AuthservIdClaim.authservId(" \"mx\\.example.org\"; none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_stopsAtTokenEnd() {
    assertThat(AuthservIdClaim.authservId(" mx.example.org/extra; none"))
        .contains("mx.example.org");
    assertThat(AuthservIdClaim.authservId(" mx.example.org(comment); none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_noneToRead() {
    assertThat(AuthservIdClaim.authservId("")).isEmpty();
    assertThat(AuthservIdClaim.authservId("   \n\t ")).isEmpty();
    assertThat(AuthservIdClaim.authservId(" (unterminated comment mx.example.org")).isEmpty();
    assertThat(AuthservIdClaim.authservId(" \"unterminated")).isEmpty();
    assertThat(AuthservIdClaim.authservId(" ; spf=pass")).isEmpty();
  }

  @Test
  void claims_caseInsensitiveExactToken() {
    assertThat(AuthservIdClaim.claims(" MX.Example.ORG; spf=pass", "mx.example.org")).isTrue();
    assertThat(AuthservIdClaim.claims(" mx.example.org.evil.com; spf=pass", "mx.example.org"))
        .isFalse();
    assertThat(AuthservIdClaim.claims(" evil-mx.example.org; spf=pass", "mx.example.org"))
        .isFalse();
    assertThat(AuthservIdClaim.claims(" other.example; note=mx.example.org", "mx.example.org"))
        .isFalse();
    assertThat(AuthservIdClaim.claims("", "mx.example.org")).isFalse();
  }
}
