package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MilterSettingsTest {
  private static MilterSettings withPacketSize(int size) {
    MilterSettings d = MilterSettings.DEFAULTS;
    return new MilterSettings(
        size,
        d.handlerDeadline(),
        d.progressInterval(),
        d.errorAction(),
        d.maxHeaders(),
        d.maxHeaderBytes(),
        d.maxQueuedBytes(),
        Map.of(),
        d.idleTimeout(),
        d.packetTimeout());
  }

  @Test
  void packetSize_boundsAreAWholeBodyChunkTo64MiB() {
    assertThat(MilterSettings.DEFAULTS.maxPacketSize())
        .isEqualTo(MilterSettings.DEFAULT_PACKET_SIZE);
    assertThat(withPacketSize(MilterSettings.MIN_PACKET_SIZE).maxPacketSize()).isEqualTo(65536);
    assertThat(withPacketSize(MilterSettings.MAX_PACKET_SIZE).maxPacketSize()).isEqualTo(64 << 20);
    assertThatThrownBy(() -> withPacketSize(MilterSettings.MIN_PACKET_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536 to 67108864");
    assertThatThrownBy(() -> withPacketSize(MilterSettings.MAX_PACKET_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 67108865");
  }
}
