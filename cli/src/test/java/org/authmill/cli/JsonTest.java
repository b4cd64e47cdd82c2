package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  /**
   * Reasons cite "RFC 7208 §4.3"; on a terminal or pipe with a non-UTF-8 locale the § became "?".
   * JSON written as ASCII with \\u escapes reads back the same everywhere (RFC 8259 §7).
   */
  @Test
  void write_nonAsciiIsEscapedSoAnyLocaleKeepsIt() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("reason", "no SPF record (RFC 7208 §4.3) for bücher.example");
    String json = Json.write(map);
    assertThat(json.chars().allMatch(c -> c < 0x80)).isTrue();
    assertThat(json).contains("\\u00A7");
    assertThat(new ObjectMapper().readTree(json).get("reason").asText())
        .isEqualTo("no SPF record (RFC 7208 §4.3) for bücher.example");
  }
}
