package org.authmill.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
  @Test
  void of_withoutUrlIsTheEmbeddedFileInTheStateDirectory() {
    StoreLocation location = StoreLocation.of(Path.of("/var/lib/authmill"), Optional.empty());
    assertThat(location.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(location.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/authmill/authmill.db");
    assertThat(location.stateDirectory()).contains(Path.of("/var/lib/authmill"));
  }

  @Test
  void of_urlWinsOverStateDirectory() {
    StoreLocation location =
        StoreLocation.of(
            Path.of("/var/lib/authmill"), Optional.of("jdbc:postgresql://db/authmill"));
    assertThat(location.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(location.stateDirectory()).isEmpty();
  }

  @Test
  void url_otherSchemeIsRefusedByName() {
    assertThatThrownBy(() -> StoreLocation.url("jdbc:mysql://db/x?password=hunter2"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("jdbc:postgresql:")
        .hasMessageContaining("jdbc:mysql://db/x")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void redacted_hidesPasswordsInQueryAndUserInfo() {
    assertThat(StoreLocation.url("jdbc:postgresql://h/db?user=a&password=s3&ssl=true").redacted())
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    assertThat(StoreLocation.url("jdbc:postgresql://a:s3@h/db").redacted())
        .isEqualTo("jdbc:postgresql://a:***@h/db");
  }

  @Test
  void migrations_badFeatureNameIsRefused() {
    assertThatThrownBy(() -> Migrations.of("Report-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Report-1");
    assertThat(Migrations.of("feedback").historyTable()).isEqualTo("authmill_history_feedback");
    assertThat(Migrations.of("report").locations(Dialect.POSTGRESQL))
        .containsExactly("classpath:db/report/common", "classpath:db/report/postgresql");
  }
}
