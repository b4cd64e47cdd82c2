package org.authmill.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import org.authmill.testkit.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {
  @TempDir Path tempDir;

  @Test
  void build_createsStateDirectoryAndWalFile() {
    Path state = tempDir.resolve("var/lib/authmill");
    try (Store store = Store.builder(StoreLocation.embedded(state)).build()) {
      String mode =
          store.inTransaction(
              c -> {
                try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                  rs.next();
                  return rs.getString(1);
                }
              });
      assertThat(mode).isEqualToIgnoringCase("wal");
      long busy =
          store.inTransaction(
              c -> {
                try (ResultSet rs = c.createStatement().executeQuery("PRAGMA busy_timeout")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      assertThat(busy).isEqualTo(10_000);
    }
    assertThat(Files.isRegularFile(state.resolve("authmill.db"))).isTrue();
  }

  @Test
  void build_unreachablePostgresFailsNamingTheStore() {
    int port = FreePort.tcpAndUdp();
    StoreLocation location =
        StoreLocation.url("jdbc:postgresql://127.0.0.1:" + port + "/x?user=u&password=secret");
    assertThatThrownBy(
            () -> Store.builder(location).connectionTimeout(Duration.ofMillis(500)).build())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot open store jdbc:postgresql://127.0.0.1:" + port)
        .hasMessageNotContaining("secret");
  }
}
