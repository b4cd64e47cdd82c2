package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DmarcRecordBuilderTest {
  @Test
  void text_onlySetTags_inOrder() {
    DmarcRecordBuilder b =
        new DmarcRecordBuilder()
            .aggregateReport("mailto:a@example.com")
            .policy(DmarcPolicy.REJECT)
            .nonExistentPolicy(DmarcPolicy.REJECT)
            .subdomainPolicy(DmarcPolicy.QUARANTINE)
            .dkimAlignment(AlignmentMode.STRICT)
            .spfAlignment(AlignmentMode.RELAXED)
            .testing(true)
            .psd(PsdFlag.NO)
            .failureOptions("1:d")
            .aggregateReport("mailto:b@example.net!10m")
            .failureReport("mailto:f@example.com");
    assertThat(b.text())
        .isEqualTo(
            "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; t=y; psd=n; fo=1:d;"
                + " rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com");
    DmarcRecord r = b.build();
    assertThat(r.testing()).isTrue();
    assertThat(r.aggregateReportUris()).hasSize(2);
  }

  @Test
  void text_minimal() {
    assertThat(new DmarcRecordBuilder().policy(DmarcPolicy.NONE).text())
        .isEqualTo("v=DMARC1; p=none");
  }

  @Test
  void invalidValues_rejectedNamingThem() {
    assertThatThrownBy(() -> new DmarcRecordBuilder().failureOptions("0:1"))
        .hasMessageContaining("fo=0:1");
    assertThatThrownBy(() -> new DmarcRecordBuilder().failureOptions("0;p=none"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DmarcRecordBuilder().aggregateReport("dmarc@example.com"))
        .hasMessageContaining("rua dmarc@example.com");
    assertThatThrownBy(
            () -> new DmarcRecordBuilder().failureReport("mailto:a@x.example,mailto:b@y.example"))
        .hasMessageContaining("ruf");
    assertThatThrownBy(() -> new DmarcRecordBuilder().text())
        .isInstanceOf(IllegalStateException.class);
  }
}
