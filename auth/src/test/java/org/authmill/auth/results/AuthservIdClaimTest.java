package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthservIdClaimTest {
  @Test
  void authservId_plainToken() {
    assertThat(AuthenticationResults.authservIdOf(" mx.example.org; spf=pass"))
        .contains("mx.example.org");
    assertThat(AuthenticationResults.authservIdOf("mx.example.org;spf=pass"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_afterFoldingWhitespaceAndNestedComments() {
    assertThat(
            AuthenticationResults.authservIdOf(
                "\n\t(a (nested) comment)  \n mx.example.org 1; none"))
        .contains("mx.example.org");
    assertThat(AuthenticationResults.authservIdOf(" (escaped \\) paren) mx.example.org; none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_quotedString() {
    assertThat(AuthenticationResults.authservIdOf(" \"mx.example.org\"; none"))
        .contains("mx.example.org");
    assertThat(AuthenticationResults.authservIdOf(" \"mx\\.example.org\"; none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_stopsAtTokenEnd() {
    assertThat(AuthenticationResults.authservIdOf(" mx.example.org/extra; none"))
        .contains("mx.example.org");
    assertThat(AuthenticationResults.authservIdOf(" mx.example.org(comment); none"))
        .contains("mx.example.org");
  }

  @Test
  void authservId_noneToRead() {
    assertThat(AuthenticationResults.authservIdOf("")).isEmpty();
    assertThat(AuthenticationResults.authservIdOf("   \n\t ")).isEmpty();
    assertThat(AuthenticationResults.authservIdOf(" (unterminated comment mx.example.org"))
        .isEmpty();
    assertThat(AuthenticationResults.authservIdOf(" \"unterminated")).isEmpty();
    assertThat(AuthenticationResults.authservIdOf(" ; spf=pass")).isEmpty();
  }

  @Test
  void claims_caseInsensitiveExactToken() {
    assertThat(AuthenticationResults.claims(" MX.Example.ORG; spf=pass", "mx.example.org"))
        .isTrue();
    assertThat(AuthenticationResults.claims(" mx.example.org.evil.com; spf=pass", "mx.example.org"))
        .isFalse();
    assertThat(AuthenticationResults.claims(" evil-mx.example.org; spf=pass", "mx.example.org"))
        .isFalse();
    assertThat(
            AuthenticationResults.claims(" other.example; note=mx.example.org", "mx.example.org"))
        .isFalse();
    assertThat(AuthenticationResults.claims("", "mx.example.org")).isFalse();
  }
}
