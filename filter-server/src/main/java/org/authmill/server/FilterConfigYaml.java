package org.authmill.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.authmill.milter.MilterSettings;
import org.authmill.server.signing.SigningKey;

/**
 * Reads a {@link FilterConfig} from YAML (Jackson): keys in kebab-case, values as the operator
 * writes them ({@code 20s}, {@code inet:127.0.0.1:8891}, {@code 10.0.0.0/8}, {@code header-only}).
 * An unknown key, a bad value or broken YAML is a {@link ConfigException} that names the source,
 * the key's path and what is wrong; an empty text is every default.
 */
public final class FilterConfigYaml {
  private static final ObjectMapper MAPPER = mapper();

  private FilterConfigYaml() {}

  /**
   * Reads a YAML file.
   *
   * @throws ConfigException naming the file, the key and what is wrong
   */
  public static FilterConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads YAML text; {@code source} names it in errors.
   *
   * @throws ConfigException naming the key and what is wrong
   */
  public static FilterConfig parse(String yaml, String source) {
    if (yaml.isBlank()) {
      return FilterConfig.defaults();
    }
    try {
      FilterConfig config = MAPPER.readValue(yaml, FilterConfig.class);
      return config == null ? FilterConfig.defaults() : config;
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      throw new ConfigException(
          source
              + ": unknown key '"
              + path
              + "'; known keys here: "
              + e.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", ")),
          e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why =
          root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
      String path = path(e);
      throw new ConfigException(
          source + (path.isEmpty() ? "" : ": key '" + path + "'") + ": " + firstLine(why), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

  /**
   * Parses {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1d} (24 hours), or a number
   * of seconds.
   *
   * @throws IllegalArgumentException naming the text when it is none of these
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 20s, 500ms, 2m, 1h or 1d, got '" + text + "'");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> n;
          case "m" -> n * 60_000;
          case "h" -> n * 3_600_000;
          case "d" -> n * 86_400_000;
          default -> n * 1000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  /**
   * The YAML name of an enum constant: lower case, '-' for '_' ({@code HEADER_ONLY}: header-only).
   */
  static String yamlName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String path(JsonMappingException e) {
    List<String> parts = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        parts.add(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        parts.add("[" + r.getIndex() + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static ObjectMapper mapper() {
    SimpleModule values = new SimpleModule();
    values.addDeserializer(Duration.class, text(FilterConfigYaml::parseDuration));
    values.addDeserializer(SigningKey.class, text(SigningKey::parse));
    values.addDeserializer(ListenAddress.class, text(ListenAddress::parse));
    values.addDeserializer(HostPort.class, text(HostPort::parse));
    values.addDeserializer(Cidr.class, text(Cidr::parse));
    values.addDeserializer(TrustedForwarder.class, text(TrustedForwarder::parse));
    values.addDeserializer(
        org.authmill.arc.TrustedSealer.class, text(org.authmill.arc.TrustedSealer::parse));
    values.addDeserializer(
        FilterConfig.DmarcRejectAction.class, oneOf(FilterConfig.DmarcRejectAction.values()));
    values.addDeserializer(
        FilterConfig.DmarcQuarantineAction.class,
        oneOf(FilterConfig.DmarcQuarantineAction.values()));
    values.addDeserializer(
        FilterConfig.SpfFailAction.class, oneOf(FilterConfig.SpfFailAction.values()));
    values.addDeserializer(
        MilterSettings.ErrorAction.class, oneOf(MilterSettings.ErrorAction.values()));
    return new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .registerModule(values);
  }

  /** A value written as one string and read by a parser that throws on bad text. */
  private static <T> JsonDeserializer<T> text(Function<String, T> parse) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return parse.apply(p.getValueAsString(p.getText()));
      }
    };
  }

  /** An enum written by its {@link #yamlName}. */
  private static <E extends Enum<E>> JsonDeserializer<E> oneOf(E[] constants) {
    return text(
        s -> {
          for (E c : constants) {
            if (yamlName(c).equals(s)) {
              return c;
            }
          }
          throw new IllegalArgumentException(
              "expected one of "
                  + Arrays.stream(constants)
                      .map(FilterConfigYaml::yamlName)
                      .collect(Collectors.joining(", "))
                  + ", got '"
                  + s
                  + "'");
        });
  }
}
